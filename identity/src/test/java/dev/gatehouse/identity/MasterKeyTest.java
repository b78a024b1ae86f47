package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.identity.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

    private static final String JWK = "{\"kty\":\"EC\",\"d\":\"private-part\",\"kid\":\"k1\"}";

    @TempDir
    Path dir;

    @Test
    void aSealedKey_opensWithTheSameMasterKeyAndKidOnly() {
        MasterKey master = MasterKey.ephemeral();

        String sealed = master.seal("k1", JWK);

        assertThat(sealed).startsWith("aes256gcm:").doesNotContain("private-part");
        assertThat(master.seal("k1", JWK)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(master.open("k1", sealed)).isEqualTo(JWK);
        assertThatThrownBy(() -> MasterKey.ephemeral().open("k1", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("master key does not open signing key k1");
        assertThatThrownBy(() -> master.open("k2", sealed)).as("moved under another kid")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> master.open("k1", sealed.substring(0, sealed.length() - 4) + "AAAA"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void derivedKeys_areTheSameForOneMasterKeyAndPurpose_andOtherwiseUnrelated() {
        String base64 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        byte[] one = MasterKey.parse(base64).derive("cookies");

        assertThat(one).hasSize(32).isEqualTo(MasterKey.parse(base64).derive("cookies"));
        assertThat(MasterKey.parse(base64).derive("other")).isNotEqualTo(one);
        assertThat(MasterKey.ephemeral().derive("cookies")).isNotEqualTo(one);
    }

    @Test
    void aKeyStoredBeforeSealing_isReadAsItIs() {
        assertThat(MasterKey.ephemeral().open("k1", JWK)).isEqualTo(JWK);
        assertThatThrownBy(() -> MasterKey.ephemeral().open("k1", "rot13:xyz")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConfiguredKey_isThirtyTwoBytesOfBase64() {
        String base64 = "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=";
        String sealed = MasterKey.parse(base64).seal("k1", JWK);

        assertThat(MasterKey.parse(base64).open("k1", sealed)).isEqualTo(JWK);
        assertThatThrownBy(() -> MasterKey.parse("c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master-key must be 32 bytes, was 5");
        assertThatThrownBy(() -> MasterKey.parse("not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThat(MasterKey.parse(base64)).hasToString("MasterKey[hidden]");
    }

    @Test
    void theEmbeddedKeyFile_isMadeOnceReadableByItsOwnerOnly_andReusedAfter() throws IOException {
        Path file = dir.resolve("data/master.key");

        String sealed = MasterKey.inFile(file).seal("k1", JWK);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(MasterKey.inFile(file).open("k1", sealed)).isEqualTo(JWK);
    }

    @Test
    void signingKeys_areStoredSealed() {
        try (IdpServer server = IdpServer.start()) {
            Acme acme = new Acme(server, "sealed");
            SigningKey stored = server.store.read(tx -> tx.signingKeys().list(acme.org.id())).getFirst();

            assertThat(stored.privateJwk()).startsWith("aes256gcm:").doesNotContain("\"d\"");
            assertThat(server.masterKey.open(stored.kid(), stored.privateJwk())).contains("\"d\"");
        }
    }
}
