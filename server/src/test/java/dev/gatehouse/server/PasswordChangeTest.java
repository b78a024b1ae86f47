package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user changes their own password through the management API; every refusal names the field at fault. */
class PasswordChangeTest {

    private static TestGatehouse gh;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    private static Http.Response passwordGrant(String password) {
        return gh.http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "password", "client_id", "gatehouse-cli",
                "username", "pat", "password", password), null, null);
    }

    @Test
    void aUserChangesTheirPassword_provingTheCurrentOne() {
        String pat = gh.loginDemo(DemoData.PUBLISHER);
        String me = gh.api("/me/password");
        String current = "pat-demo-password";

        Http.Response wrong = gh.http.put(me, pat, new JsonObject().put("currentPassword", "not it")
                .put("newPassword", "a brand new passphrase"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("currentPassword");
        Http.Response weak = gh.http.put(me, pat, new JsonObject().put("currentPassword", current)
                .put("newPassword", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("newPassword");
        assertThat(gh.http.put(me, null, new JsonObject().put("currentPassword", current)
                .put("newPassword", "a brand new passphrase")).status()).isEqualTo(401);

        assertThat(gh.http.put(me, pat, new JsonObject().put("currentPassword", current)
                .put("newPassword", "a brand new passphrase")).status()).isEqualTo(204);

        assertThat(passwordGrant(current).status()).isEqualTo(400);
        assertThat(passwordGrant("a brand new passphrase").status()).isEqualTo(200);
    }
}
