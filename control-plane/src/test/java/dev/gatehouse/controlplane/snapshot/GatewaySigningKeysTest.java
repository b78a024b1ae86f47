package dev.gatehouse.controlplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.model.snapshot.BackendSigningKey;
import dev.gatehouse.store.GatewaySigningKeyRepository.GatewaySigningKey;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateways' backend-JWT signing key is stored sealed under the master key; a restart with the same master key
 * still signs with it, one with another refuses to start, and a key stored before sealing existed is sealed.
 */
class GatewaySigningKeysTest {

    private final MasterKey masterKey = MasterKey.ephemeral();
    private Vertx vertx;
    private Store store;

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        store = Store.open(StoreConfig.inMemory("gateway-keys-" + UUID.randomUUID()), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
        vertx.close().await();
    }

    private GatewaySigningKeys keys(MasterKey key) {
        return new GatewaySigningKeys(vertx, store, "https://gatehouse.example", key);
    }

    private List<GatewaySigningKey> stored() {
        return store.read(tx -> tx.gatewaySigningKeys().list());
    }

    @Test
    void aNewKey_isStoredSealed_andARestartWithTheSameMasterKeySignsWithIt() throws Exception {
        BackendSigningKey made = keys(masterKey).signingKey();

        GatewaySigningKey row = stored().getFirst();
        assertThat(row.privateJwk()).startsWith("aes256gcm:").doesNotContain("\"d\"")
                .isNotEqualTo(made.privateJwk());
        GatewaySigningKeys restarted = keys(masterKey);
        restarted.checkMasterKey();
        BackendSigningKey again = restarted.signingKey();
        assertThat(again).isEqualTo(made);
        assertThat(stored()).hasSize(1);
        assertSigns(again, restarted);
    }

    @Test
    void aRestartWithAnotherMasterKey_failsWithAClearMessage() {
        keys(masterKey).signingKey();
        String kid = stored().getFirst().kid();

        assertThatThrownBy(() -> keys(MasterKey.ephemeral()).checkMasterKey())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the master key does not open signing key gateway:" + kid
                        + ": start with the master key it was sealed with");
    }

    @Test
    void aKeyStoredBeforeSealing_stillSigns_andIsSealedOnce() throws Exception {
        ECKey legacy = new ECKeyGenerator(Curve.P_256).keyID("legacy-kid").algorithm(JWSAlgorithm.ES256).generate();
        store.record(tx -> {
            tx.gatewaySigningKeys().add(new GatewaySigningKey("legacy-kid", legacy.toJSONString(),
                    store.clock().instant()));
            return null;
        });
        GatewaySigningKeys keys = keys(masterKey);
        keys.checkMasterKey();

        assertThat(keys.sealLegacyKeys()).isEqualTo(1);
        assertThat(keys.sealLegacyKeys()).isZero();

        assertThat(stored().getFirst().privateJwk()).startsWith("aes256gcm:").doesNotContain(legacy.getD().toString());
        BackendSigningKey signing = keys(masterKey).signingKey();
        assertThat(ECKey.parse(signing.privateJwk())).isEqualTo(legacy);
        assertSigns(signing, keys);
    }

    private static void assertSigns(BackendSigningKey key, GatewaySigningKeys keys) throws Exception {
        ECKey ec = ECKey.parse(key.privateJwk());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(key.issuer()).build());
        jwt.sign(new ECDSASigner(ec));
        ECKey published = (ECKey) keys.publicKeys().getKeyByKeyId(ec.getKeyID());
        assertThat(published.isPrivate()).isFalse();
        assertThat(jwt.verify(new ECDSAVerifier(published))).isTrue();
    }
}
