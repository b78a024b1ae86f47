package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private static final String PHC = "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}";

    private final PasswordHasher cheap = IdpServer.CHEAP_HASHER;

    @Test
    void productionParameters_roundTripInThePhcFormatAndRejectAWrongPassword() {
        PasswordHasher hasher = new PasswordHasher();

        String hash = hasher.hash("correct horse battery staple");

        assertThat(hash).matches(PHC);
        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
    }

    @Test
    void samePasswordTwice_getsDifferentSaltsAndHashes() {
        assertThat(cheap.hash("password-1")).isNotEqualTo(cheap.hash("password-1"));
    }

    @Test
    void hashMadeWithOtherParameters_stillVerifies() {
        String cheapHash = cheap.hash("s3cret-pass");

        assertThat(cheapHash).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(new PasswordHasher(128, 2, 2).verify("s3cret-pass", cheapHash)).isTrue();
    }

    @Test
    void nonAsciiPasswords_areHashedAsUtf8() {
        String hash = cheap.hash("pässwörd-✓");

        assertThat(cheap.verify("pässwörd-✓", hash)).isTrue();
        assertThat(cheap.verify("passwort-✓", hash)).isFalse();
    }

    @Test
    void malformedOrOutOfBoundsHashes_neverVerify() {
        String hash = cheap.hash("s3cret-pass");

        assertThat(cheap.verify("s3cret-pass", null)).isFalse();
        assertThat(cheap.verify(null, hash)).isFalse();
        assertThat(cheap.verify("s3cret-pass", "")).isFalse();
        assertThat(cheap.verify("s3cret-pass", hash.replace("argon2id", "argon2i"))).isFalse();
        assertThat(cheap.verify("s3cret-pass", hash.replace("v=19", "v=16"))).isFalse();
        assertThat(cheap.verify("s3cret-pass", hash.replace("m=64", "m=99999999"))).isFalse();
        assertThat(cheap.verify("s3cret-pass", hash.substring(0, hash.lastIndexOf('$')))).isFalse();
    }

    @Test
    void parametersOutOfRange_areRefusedNamingTheParameter() {
        assertThatThrownBy(() -> new PasswordHasher(4, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argon2 memoryKiB must be between 8 x parallelism and 1048576, was 4");
        assertThatThrownBy(() -> new PasswordHasher(64, 0, 1))
                .hasMessage("argon2 iterations must be between 1 and 64, was 0");
        assertThatThrownBy(() -> new PasswordHasher(64, 1, 0))
                .hasMessage("argon2 parallelism must be between 1 and 64, was 0");
    }
}
