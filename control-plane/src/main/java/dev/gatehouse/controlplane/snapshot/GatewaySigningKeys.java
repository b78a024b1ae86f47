package dev.gatehouse.controlplane.snapshot;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.model.snapshot.BackendSigningKey;
import dev.gatehouse.store.GatewaySigningKeyRepository.GatewaySigningKey;
import dev.gatehouse.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key gateways sign backend JWTs with, one EC P-256 key shared by every gateway and control-plane replica: made
 * the first time an API asks for backend JWTs, kept in the store, handed to the gateways in their snapshots, and
 * published, public part only, at {@value #JWKS_PATH} for backends to verify the JWTs with. The JWTs' issuer is the
 * control plane's public URL followed by {@value #ISSUER_PATH}.
 *
 * <p>In the store the private key is sealed under the same {@link MasterKey} as the identity provider's keys, bound
 * to {@code gateway:<kid>}; a key stored before sealing existed is read as it is and sealed by
 * {@link #sealLegacyKeys} at start. The gateways get it opened, in their snapshots (over the gateway feed, which
 * only the gateway token opens), since they sign with it.
 */
public final class GatewaySigningKeys {

    public static final String ISSUER_PATH = "/gateway";
    public static final String JWKS_PATH = "/gateway/jwks";

    private static final Logger LOG = LoggerFactory.getLogger(GatewaySigningKeys.class);

    private final Vertx vertx;
    private final Store store;
    private final String publicUrl;
    private final MasterKey masterKey;

    public GatewaySigningKeys(Vertx vertx, Store store, String publicUrl, MasterKey masterKey) {
        this.vertx = vertx;
        this.store = store;
        this.publicUrl = publicUrl;
        this.masterKey = masterKey;
    }

    public String issuer() {
        return publicUrl + ISSUER_PATH;
    }

    public String jwksUri() {
        return publicUrl + JWKS_PATH;
    }

    /** Blocking: the signing key, made and stored if there is none yet. */
    public BackendSigningKey signingKey() {
        GatewaySigningKey key = store.read(tx -> tx.gatewaySigningKeys().signing()).orElseGet(this::newKey);
        return new BackendSigningKey(issuer(), open(key));
    }

    /**
     * Blocking: opens every stored key, so that a process started with another master key than the one they were
     * sealed with says so at once.
     *
     * @throws IllegalStateException naming the key the master key does not open
     */
    public void checkMasterKey() {
        store.read(tx -> tx.gatewaySigningKeys().list()).forEach(this::open);
    }

    /**
     * Blocking: seals the keys stored before sealing existed (plaintext JWKs); the same keys, stored otherwise.
     *
     * @return how many keys were sealed
     */
    public int sealLegacyKeys() {
        int sealed = store.record(tx -> {
            int count = 0;
            for (GatewaySigningKey key : tx.gatewaySigningKeys().list()) {
                if (!MasterKey.isSealed(key.privateJwk())
                        && tx.gatewaySigningKeys().seal(key.kid(), masterKey.seal(label(key.kid()), key.privateJwk()))) {
                    count++;
                }
            }
            return count;
        });
        if (sealed > 0) {
            LOG.info("sealed {} gateway signing keys stored before sealing existed", sealed);
        }
        return sealed;
    }

    /** Blocking: the public parts of every key. */
    public JWKSet publicKeys() {
        List<JWK> keys = store.read(tx -> tx.gatewaySigningKeys().list()).stream()
                .map(this::publicPart)
                .toList();
        return new JWKSet(keys);
    }

    /** Serves the public key set at {@value #JWKS_PATH}, to anyone: it holds nothing secret. */
    public void mount(Router router) {
        router.get(JWKS_PATH).handler(ctx -> vertx.executeBlocking(() -> publicKeys().toString(), false)
                .onComplete(done -> {
                    if (done.failed()) {
                        LOG.warn("cannot read the gateway signing keys: {}", done.cause().toString());
                        ctx.response().setStatusCode(503).end();
                        return;
                    }
                    ctx.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/jwk-set+json")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                            .end(done.result());
                }));
    }

    /** Makes a key; two replicas making one at once both store theirs, and the older of the two signs. */
    private GatewaySigningKey newKey() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate();
            GatewaySigningKey row = new GatewaySigningKey(key.getKeyID(),
                    masterKey.seal(label(key.getKeyID()), key.toJSONString()), store.clock().instant());
            store.record(tx -> {
                tx.gatewaySigningKeys().add(row);
                return null;
            });
            LOG.info("made the gateways' backend JWT signing key {}", key.getKeyID());
            return store.read(tx -> tx.gatewaySigningKeys().signing()).orElse(row);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make an EC P-256 key", e);
        }
    }

    /** The associated data a gateway key is sealed with: never a kid of the identity provider's. */
    private static String label(String kid) {
        return "gateway:" + kid;
    }

    private String open(GatewaySigningKey key) {
        return masterKey.open(label(key.kid()), key.privateJwk());
    }

    private JWK publicPart(GatewaySigningKey key) {
        try {
            return ECKey.parse(open(key)).toPublicJWK();
        } catch (ParseException e) {
            throw new IllegalStateException("the gateway signing key " + key.kid() + " is not an EC JWK", e);
        }
    }
}
