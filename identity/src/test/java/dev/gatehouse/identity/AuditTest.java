package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.identity.AuditEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider's security events land in the store, without secrets. */
class AuditTest {

    @Test
    void signInsGrantsAndRevocations_areRecordedWithoutSecrets() {
        try (IdpServer server = IdpServer.start()) {
            Acme acme = new Acme(server, "acme");
            server.post(server.tokenEndpoint("acme"), "grant_type=password&username=alice&password=wrong-one", "",
                    "Authorization", Acme.basic(acme.app));
            server.clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> issued = server.post(server.tokenEndpoint("acme"), "grant_type=password"
                    + "&username=alice&password=" + URLEncoder.encode(Acme.PASSWORD, StandardCharsets.UTF_8)
                    + "&scope=" + acme.read, "", "Authorization", Acme.basic(acme.app));
            String token = IdpServer.json(issued).get("access_token").toString();
            server.clock.advance(Duration.ofSeconds(1));
            server.post(URI.create(server.idp.endpoints("acme").revocationEndpoint()), "", "token=" + token,
                    "Content-Type", "application/x-www-form-urlencoded", "Authorization", Acme.basic(acme.app));

            List<AuditEvent> events = server.store.read(tx -> tx.auditEvents().list(acme.org.id(), 10));

            assertThat(events).extracting(AuditEvent::type)
                    .containsExactly("token.revoked", "token.issued", "login.failed");
            assertThat(events.get(2).actor()).isEqualTo("alice");
            assertThat(events.get(2).clientIp()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
            assertThat(events.get(1).actor()).isEqualTo(acme.alice.id());
            assertThat(events.get(1).clientId()).isEqualTo(acme.app.client().clientId());
            assertThat(events.get(0).detail()).isEqualTo("access_token");
            assertThat(events).allSatisfy(event -> assertThat(String.valueOf(event))
                    .doesNotContain("wrong-one", Acme.PASSWORD, token));
        }
    }
}
