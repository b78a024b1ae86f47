package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import dev.gatehouse.store.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole server on a real PostgreSQL (embedded binaries) instead of H2: demo, keys, a call through the gateway. */
class PostgresGatehouseTest {

    @Test
    void demoOnPostgresql_servesACallThroughTheGateway() {
        try (TestGatehouse gh = TestGatehouse.start(TestStores.postgresConfig())) {
            String alice = gh.loginDemo(DemoData.SUBSCRIBER);
            String apiId = gh.http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");
            JsonObject app = gh.created(gh.http.post(gh.api("/orgs/acme/applications"), alice,
                    new JsonObject().put("name", "On PostgreSQL")));
            String appUrl = gh.api("/orgs/acme/applications/" + app.getString("id"));
            gh.created(gh.http.post(appUrl + "/subscriptions", alice, new JsonObject().put("apiId", apiId)));
            JsonObject keys = gh.created(gh.http.post(appUrl + "/credentials/generate", alice,
                    new JsonObject().put("keyType", "sandbox").put("grantTypes", new JsonArray().add("client_credentials"))));
            Http.Response token = gh.http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials",
                    "scope", "urn:acme:orders:read"), keys.getString("clientId"), keys.getString("clientSecret"));
            String accessToken = token.json().getString("access_token");
            Http.Response call = awaitStatus(200, () ->
                    gh.http.get(gh.gateway(Environment.DEVELOPMENT, "/acme/orders/v1/orders/7"), accessToken));
            assertThat(call.json().getString("id")).isEqualTo("7");
        }
    }
}
