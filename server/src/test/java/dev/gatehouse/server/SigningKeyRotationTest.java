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
}
