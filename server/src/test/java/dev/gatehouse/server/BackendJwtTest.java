package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.model.Environment;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backend JWT over real sockets: a backend that trusts nothing but a JWT it verifies with Nimbus against the key
 * set the control plane publishes, behind an API that asks the gateway for one.
 */
class BackendJwtTest {

    private static final String HEADER = "X-Backend-JWT";

    private static TestGatehouse gh;
    private static Vertx vertx;
    private static String backendUrl;
    private static String pat;
    private static String alice;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        pat = gh.loginDemo(DemoData.PUBLISHER);
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
        vertx = Vertx.vertx();
        HttpServer backend = vertx.createHttpServer().requestHandler(request -> {
            String jwt = request.getHeader(HEADER);
            vertx.executeBlocking(() -> verified(jwt), false).onComplete(claims -> {
                if (claims.succeeded()) {
                    request.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject(claims.result().toJSONObject()).encode());
                } else {
                    request.response().setStatusCode(401).end(String.valueOf(claims.cause().getMessage()));
                }
            });
        }).listen(0, "127.0.0.1").await();
        backendUrl = "http://127.0.0.1:" + backend.actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        gh.close();
    }

    /** What a backend does: verify the JWT's ES256 signature with the published key set, and its issuer and expiry. */
    private static JWTClaimsSet verified(String jwt) throws Exception {
        if (jwt == null) {
            throw new IllegalArgumentException("no " + HEADER);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                JWKSourceBuilder.create(new URL(gh.url("/gateway/jwks"))).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(gh.url("/gateway")).build(), Set.of("exp", "iat", "sub")));
        return processor.process(jwt, null);
    }

    @Test
    void aBackendVerifiesTheGatewaysJwtWithThePublishedKeys_andACallerCannotForgeIt() throws Exception {
        JsonObject api = gh.publishedApi(pat, "Ledger", "/ledger", new JsonArray().add(TestGatehouse.permission("read")),
                new JsonArray().add(TestGatehouse.resource("GET", "/entries", "read")), backendUrl);
        String setting = gh.api("/orgs/acme/apis/" + api.getString("id") + "/backend-jwt");
        JsonObject enabled = gh.ok(gh.http.put(setting, pat, new JsonObject().put("enabled", true).put("header", HEADER)));
        assertThat(enabled.getString("jwksUri")).isEqualTo(gh.url("/gateway/jwks"));
        assertThat(enabled.getString("issuer")).isEqualTo(gh.url("/gateway"));
        JsonObject app = gh.created(gh.http.post(gh.api("/orgs/acme/applications"), alice,
                new JsonObject().put("name", "Ledger reader")));
        String appUrl = gh.api("/orgs/acme/applications/" + app.getString("id"));
        gh.created(gh.http.post(appUrl + "/subscriptions", alice, new JsonObject().put("apiId", api.getString("id"))));
        JsonObject keys = gh.created(gh.http.post(appUrl + "/credentials/generate", alice, new JsonObject()
                .put("keyType", "production").put("grantTypes", new JsonArray().add("client_credentials"))));
        Http.Response issued = gh.http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials",
                "scope", "urn:acme:ledger:read"), keys.getString("clientId"), keys.getString("clientSecret"));
        String token = issued.json().getString("access_token");
        String entries = gh.gateway(Environment.PRODUCTION, "/acme/ledger/v1/entries");

        JsonObject claims = awaitStatus(200, () -> gh.http.get(entries, token)).json();
        Http.Response forged = send(entries, token, "eyJhbGciOiJub25lIn0.eyJhcHBsaWNhdGlvbiI6ImV2ZSJ9.");

        assertThat(claims.getString("application")).isEqualTo(app.getString("id"));
        assertThat(claims.getString("client_id")).isEqualTo(keys.getString("clientId"));
        assertThat(claims.getString("subscriber")).isEqualTo(claims.getString("sub")).isNotBlank();
        assertThat(claims.getString("scope")).isEqualTo("urn:acme:ledger:read");
        assertThat(claims.getString("key_type")).isEqualTo("production");
        assertThat(claims.getString("environment")).isEqualTo("production");
        assertThat(claims.getString("api")).isEqualTo(api.getString("id"));
        assertThat(claims.getString("api_name")).isEqualTo("Ledger");
        assertThat(claims.getString("org")).isEqualTo("acme");
        assertThat(claims.getString("aud")).isEqualTo("/acme/ledger/v1");
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(60);
        assertThat(forged.status()).as("%s", forged).isEqualTo(200);
        assertThat(forged.json().getString("application")).isEqualTo(app.getString("id"));

        gh.ok(gh.http.put(setting, pat, new JsonObject().put("enabled", false)));
        assertThat(gh.ok(gh.http.get(setting, alice)).getBoolean("enabled")).isFalse();
        Http.Response without = awaitStatus(401, () -> gh.http.get(entries, token));
        assertThat(without.body()).isEqualTo("no " + HEADER);
    }

    @Test
    void theSetting_isForPublishers_andRefusesHeadersThatHttpOrTheGatewayOwn() {
        String setting = gh.api("/orgs/acme/apis/" + gh.http.get(gh.api("/orgs/acme/apis"), pat).array()
                .getJsonObject(0).getString("id") + "/backend-jwt");

        Http.Response bySubscriber = gh.http.put(setting, alice, new JsonObject().put("enabled", true));
        Http.Response authorization = gh.http.put(setting, pat, new JsonObject().put("enabled", true)
                .put("header", "Authorization"));
        Http.Response badName = gh.http.put(setting, pat, new JsonObject().put("enabled", true)
                .put("header", "X JWT"));

        assertThat(bySubscriber.status()).isEqualTo(403);
        assertThat(authorization.status()).isEqualTo(400);
        assertThat(authorization.json().getJsonArray("errors").getJsonObject(0).getString("message"))
                .isEqualTo("header must not be Authorization: HTTP or the gateway gives that header its own meaning");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("header");
        JsonObject unchanged = gh.ok(gh.http.get(setting, pat));
        assertThat(unchanged.getBoolean("enabled")).isFalse();
        assertThat(unchanged.getString("header")).isNull();
    }

    private static Http.Response send(String url, String token, String forgedJwt) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header(HEADER, forgedJwt).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Http.Response(response.statusCode(), response.headers(), response.body());
    }
}
