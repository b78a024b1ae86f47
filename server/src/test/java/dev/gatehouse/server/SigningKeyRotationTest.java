package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.model.Environment;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An admin rotates the built-in identity provider's signing key to ES256 through the management API; tokens signed
 * with it pass the gateway, which learns the new key from the JWKS on its first sight of the new {@code kid}.
 */
class SigningKeyRotationTest {

    private static TestGatehouse gh;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    @Test
    void anAdminRotatesToES256_andTheGatewayAcceptsTheNewTokens() throws Exception {
        String ada = gh.loginDemo(DemoData.ADMIN);
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        String keys = gh.api("/orgs/acme/idp/signing-keys");
        TestGatehouse.Keys app = gh.demoApplication(alice, "rotation app", "production", true);
        String orders = gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders");
        String before = gh.ordersReadToken(app);
        awaitStatus(200, () -> gh.http.get(orders, before));

        assertThat(gh.http.post(keys, alice, new JsonObject().put("algorithm", "ES256")).status()).isEqualTo(403);
        Http.Response unknown = gh.http.post(keys, ada, new JsonObject().put("algorithm", "HS256"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("field")).contains("algorithm");
        JsonObject rotated = gh.created(gh.http.post(keys, ada,
                new JsonObject().put("algorithm", "ES256").put("immediately", true)));
        assertThat(rotated.getString("state")).isEqualTo("signing");
        assertThat(gh.http.get(keys, ada).array().stream().map(JsonObject.class::cast)
                .map(key -> key.getString("state"))).containsExactly("retired", "signing");

        String after = gh.ordersReadToken(app);
        SignedJWT jwt = SignedJWT.parse(after);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(rotated.getString("kid"));
        awaitStatus(200, () -> gh.http.get(orders, after));
        assertThat(gh.http.get(orders, before).status()).as("tokens of the retired key live on").isEqualTo(200);
    }

    @Test
    void anAdminSetsARotationPolicy_andInvalidOnesAreRefusedNamingTheField() {
        String ada = gh.loginDemo(DemoData.ADMIN);
        String pat = gh.loginDemo(DemoData.PUBLISHER);
        String policy = gh.api("/orgs/acme/idp/signing-keys/policy");
        JsonObject off = gh.ok(gh.http.get(policy, ada));
        assertThat(off.getInteger("rotateAfterDays")).isZero();
        assertThat(off.getString("algorithm")).isEqualTo("RS256");
        assertThat(off.getValue("nextRotationAt")).isNull();

        JsonObject set = gh.ok(gh.http.put(policy, ada, new JsonObject().put("rotateAfterDays", 90)
                .put("algorithm", "ES256")));
        assertThat(set.getInteger("rotateAfterDays")).isEqualTo(90);
        assertThat(set.getString("algorithm")).isEqualTo("ES256");
        assertThat(java.time.Instant.parse(set.getString("nextRotationAt")))
                .isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(89)));

        assertThat(gh.http.put(policy, pat, new JsonObject().put("rotateAfterDays", 1)).status()).isEqualTo(403);
        assertThat(gh.http.get(policy, pat).status()).isEqualTo(403);
        for (JsonObject bad : java.util.List.of(new JsonObject().put("rotateAfterDays", -1),
                new JsonObject().put("rotateAfterDays", 4000), new JsonObject().put("algorithm", "ES256"),
                new JsonObject().put("rotateAfterDays", 30).put("algorithm", "HS256"))) {
            Http.Response refused = gh.http.put(policy, ada, bad);
            assertThat(refused.status()).as(bad.encode()).isEqualTo(400);
            assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("field")).as(bad.encode())
                    .contains(bad.containsKey("algorithm") && bad.containsKey("rotateAfterDays") ? "algorithm"
                            : "rotateAfterDays");
        }
        assertThat(gh.ok(gh.http.get(policy, ada))).isEqualTo(set);
        assertThat(gh.http.get(gh.api("/orgs/acme/idp/audit-events"), ada).array().stream()
                .map(JsonObject.class::cast).map(event -> event.getString("type")))
                .contains("admin.setSigningKeyPolicy");
    }
}
