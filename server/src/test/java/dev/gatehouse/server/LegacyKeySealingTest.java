package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.model.Environment;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys of both kinds (the identity provider's and the gateways' backend-JWT key) are stored sealed under the
 * master key; a store written before sealing existed keeps working and ends up sealed at the next start; another
 * master key stops the start with a one-line message.
 */
class LegacyKeySealingTest {

    private static final String MASTER_KEY = "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=";

    @Test
    void aStoreWithPlaintextKeys_keepsWorking_andIsSealedAtStart(@TempDir Path dataDir) throws SQLException {
        StoreConfig store = StoreConfig.embedded(dataDir);
        MasterKey masterKey = MasterKey.parse(MASTER_KEY);
        String gatewayKid;
        int port;
        try (TestGatehouse gh = new TestGatehouse(Gatehouse.start(config(store, 0, masterKey), Clock.systemUTC()))) {
            port = gh.gatehouse.controlPlanePort();
            callWithBackendJwt(gh);
            gatewayKid = gh.http.get(gh.url("/gateway/jwks"), null).json().getJsonArray("keys").getJsonObject(0)
                    .getString("kid");
        }
        Map<String, String> idpKeys = column(store, "SELECT kid, private_jwk FROM signing_keys");
        Map<String, String> gatewayKeys = column(store, "SELECT kid, private_jwk FROM gateway_signing_keys");
        assertThat(idpKeys).isNotEmpty();
        assertThat(gatewayKeys).containsOnlyKeys(gatewayKid);
        assertThat(idpKeys.values()).allSatisfy(value -> assertThat(value).startsWith("aes256gcm:").doesNotContain("\"d\""));
        assertThat(gatewayKeys.get(gatewayKid)).startsWith("aes256gcm:").doesNotContain("\"d\"");

        // As a store written before sealing existed has them: plaintext JWKs.
        idpKeys.forEach((kid, sealed) -> update(store, "signing_keys", kid, masterKey.open(kid, sealed)));
        update(store, "gateway_signing_keys", gatewayKid, masterKey.open("gateway:" + gatewayKid,
                gatewayKeys.get(gatewayKid)));
        assertThat(column(store, "SELECT kid, private_jwk FROM gateway_signing_keys").get(gatewayKid))
                .startsWith("{").contains("\"d\"");

        // On the same port: the demo API's backend is the demo backend of the control plane that seeded it.
        try (TestGatehouse gh = new TestGatehouse(Gatehouse.start(config(store, port, masterKey), Clock.systemUTC()))) {
            assertThat(column(store, "SELECT kid, private_jwk FROM signing_keys").values())
                    .allSatisfy(value -> assertThat(value).startsWith("aes256gcm:").doesNotContain("\"d\""));
            assertThat(column(store, "SELECT kid, private_jwk FROM gateway_signing_keys").get(gatewayKid))
                    .startsWith("aes256gcm:").doesNotContain("\"d\"");
            callWithBackendJwt(gh);
            assertThat(gh.http.get(gh.url("/gateway/jwks"), null).json().getJsonArray("keys").getJsonObject(0)
                    .getString("kid")).isEqualTo(gatewayKid);
        }

        assertThatThrownBy(() -> Gatehouse.start(config(store, 0, MasterKey.ephemeral()), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start with the master key it was sealed with");
    }

    /** A call through the production gateway to an API that has the gateway sign a backend JWT. */
    private static void callWithBackendJwt(TestGatehouse gh) {
        String pat = gh.loginDemo(DemoData.PUBLISHER);
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        String ordersId = gh.http.get(gh.api("/orgs/acme/apis"), pat).array().getJsonObject(0).getString("id");
        gh.ok(gh.http.put(gh.api("/orgs/acme/apis/" + ordersId + "/backend-jwt"), pat,
                new JsonObject().put("enabled", true)));
        TestGatehouse.Keys app = gh.demoApplication(alice, "sealing app " + System.nanoTime(), "production", true);
        String token = gh.ordersReadToken(app);
        awaitStatus(200, () -> gh.http.get(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders"), token));
    }

    private static GatehouseConfig config(StoreConfig store, int port, MasterKey masterKey) {
        return new GatehouseConfig("127.0.0.1", port, 0, 0, null, null, null, store, TestGatehouse.ADMIN_PASSWORD, true,
                Duration.ofMillis(100), Duration.ofMillis(100), true, null, AnalyticsOptions.DEFAULT, masterKey);
    }

    private static Map<String, String> column(StoreConfig store, String sql) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(store.jdbcUrl(), store.username(), store.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.put(rows.getString(1), rows.getString(2));
            }
        }
        return values;
    }

    private static void update(StoreConfig store, String table, String kid, String privateJwk) {
        try (Connection connection = DriverManager.getConnection(store.jdbcUrl(), store.username(), store.password());
             var statement = connection.prepareStatement("UPDATE " + table + " SET private_jwk = ? WHERE kid = ?")) {
            statement.setString(1, privateJwk);
            statement.setString(2, kid);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
