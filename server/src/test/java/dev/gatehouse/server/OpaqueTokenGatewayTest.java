package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in identity provider's opaque access tokens at the gateway: resolved, let through, revoked, forged. */
class OpaqueTokenGatewayTest {

    private static final String ORDERS = "/acme/orders/v1/orders";
    private static TestGatehouse gh;
    private static TestGatehouse.Keys keys;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        keys = gh.opaqueApplication(gh.loginDemo(DemoData.SUBSCRIBER), "Opaque app");
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    @Test
    void anOpaqueToken_passesTheGatewayLikeAJwt() {
        String token = gh.ordersReadToken(keys);

        assertThat(token).startsWith("gh_at_").doesNotContain(".");
        Http.Response call = gh.http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token);
        assertThat(call.status()).as(call.toString()).isEqualTo(200);
        assertThat(gh.http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token).status()).isEqualTo(200);
        assertThat(gh.http.get(gh.gateway(Environment.DEVELOPMENT, ORDERS), token).status()).isEqualTo(403);
    }

    @Test
    void aRevokedOpaqueToken_isRefusedWithinASecond() {
        String token = gh.ordersReadToken(keys);
        assertThat(gh.http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token).status()).isEqualTo(200);

        Http.Response revoked = gh.http.form(gh.url("/t/acme/oauth2/revoke"), Map.of("token", token),
                keys.clientId(), keys.secret());
        assertThat(revoked.status()).isEqualTo(200);

        awaitRefusal(401, "revoked", () -> gh.http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
    }

    @Test
    void aForgedOpaqueToken_isRefusedWith401() {
        String token = gh.ordersReadToken(keys);
        String forged = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");

        Http.Response call = gh.http.get(gh.gateway(Environment.PRODUCTION, ORDERS), forged);

        assertThat(call.status()).isEqualTo(401);
        assertThat(call.json().getString("detail")).isEqualTo("the opaque token is unknown or expired");
        assertThat(call.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    }
}
