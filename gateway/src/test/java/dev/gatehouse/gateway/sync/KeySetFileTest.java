package dev.gatehouse.gateway.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.gatehouse.gateway.security.JwksCache.KnownKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeySetFileTest {

    private static final String BUILT_IN = "http://cp:9090/t/acme/oauth2/jwks";
    private static final String EXTERNAL = "https://idp.example/jwks";

    @TempDir
    Path dir;

    @Test
    void noFile_isNoKeys() {
        assertThat(new KeySetFile(dir.resolve("key-sets.json")).load()).isEmpty();
    }

    @Test
    void savedKeys_comeBackPublicOnly_withWhenTheyWereFetched() throws JOSEException {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        JWKSet external = new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
        Instant fetchedAt = Instant.parse("2026-11-28T10:15:30Z");
        KeySetFile file = new KeySetFile(dir.resolve("state/key-sets.json"));

        file.save(Map.of(BUILT_IN, new KnownKeys(new JWKSet(rsa), fetchedAt),
                EXTERNAL, new KnownKeys(external, fetchedAt.plusSeconds(60))));
        Map<String, KnownKeys> loaded = new KeySetFile(dir.resolve("state/key-sets.json")).load();

        assertThat(loaded).containsOnlyKeys(BUILT_IN, EXTERNAL);
        assertThat(loaded.get(BUILT_IN).fetchedAt()).isEqualTo(fetchedAt);
        assertThat(loaded.get(BUILT_IN).keys().getKeys()).singleElement().satisfies(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.toRSAKey().getModulus()).isEqualTo(rsa.getModulus());
        });
        assertThat(loaded.get(EXTERNAL).keys().getKeyByKeyId("ec-1")).isNotNull();
        assertThat(dir.resolve("state")).isDirectoryNotContaining("glob:**.new");
    }

    @Test
    void aFileThatIsNotAKeySetFile_isIgnored() throws IOException {
        Path path = dir.resolve("key-sets.json");
        Files.writeString(path, "{\"" + BUILT_IN + "\": {\"fetchedAt\": \"yesterday\"");

        assertThat(new KeySetFile(path).load()).isEmpty();
    }
}
