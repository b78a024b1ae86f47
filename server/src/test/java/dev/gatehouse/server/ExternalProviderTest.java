package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.gatehouse.model.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens from an OpenID provider Gatehouse did not write (NAV's mock-oauth2-server, started here on
 * loopback): refused while the provider is not registered, accepted once it is, and still accepted after the
 * provider rotates its signing key to a new {@code kid}, without a restart.
 */
class ExternalProviderTest {

    private static final String ISSUER_ID = "asgardeo";

    /** The provider's signing keys, which the test can rotate; the provider itself signs and serves the JWKS. */
    static final class RotatingKeys extends KeyProvider {

        private volatile RSAKey current = newKey("key-1");

        void rotate(String kid) {
            current = newKey(kid);
        }

        @Override
        public JWK signingKey(String issuerId) {
            return current;
        }

        private static RSAKey newKey(String kid) {
            try {
                return new RSAKeyGenerator(2048).keyID(kid).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final RotatingKeys keys = new RotatingKeys();
    private MockOAuth2Server provider;
    private TestGatehouse gh;
    private String appUrl;
    private String alice;

    @BeforeEach
    void start() throws UnknownHostException {
        provider = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys)));
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        gh = TestGatehouse.start();
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
        String ordersApiId = gh.http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");
        JsonObject app = gh.created(gh.http.post(gh.api("/orgs/acme/applications"), alice,
                new JsonObject().put("name", "External app")));
        appUrl = gh.api("/orgs/acme/applications/" + app.getString("id"));
        gh.created(gh.http.post(appUrl + "/subscriptions", alice, new JsonObject().put("apiId", ordersApiId)));
    }

    @AfterEach
    void stop() {
        gh.close();
        provider.shutdown();
    }

    private String providerToken() {
        return providerToken("external-client-1", Map.of("scope", "urn:acme:orders:read"));
    }

    private String providerToken(String azp, Map<String, Object> claims) {
        return provider.issueToken(ISSUER_ID, azp, new DefaultOAuth2TokenCallback(ISSUER_ID, "service-account-1",
                "JWT", List.of("orders"), claims, 300)).serialize();
    }

    private void registerAndLink() {
        JsonObject idp = registerAndLink(new JsonObject().put("name", "Asgardeo")
                .put("discoveryUrl", provider.wellKnownUrl(ISSUER_ID).toString()), "external-client-1");
        assertThat(idp.getString("issuer")).isEqualTo(provider.issuerUrl(ISSUER_ID).toString());
        assertThat(idp.getString("jwksUri")).isEqualTo(provider.jwksUrl(ISSUER_ID).toString());
    }

    /** Registers the provider as acme's admin, then links {@code clientId} to alice's production credentials. */
    private JsonObject registerAndLink(JsonObject registration, String clientId) {
        String ada = gh.loginDemo(DemoData.ADMIN);
        JsonObject idp = gh.created(gh.http.post(gh.api("/orgs/acme/identity-providers"), ada, registration));
        gh.created(gh.http.post(appUrl + "/credentials", alice, new JsonObject().put("keyType", "production")
                .put("identityProvider", idp.getString("id")).put("clientId", clientId)));
        return idp;
    }

    @Test
    void tokenOfAnUnregisteredProvider_isRefusedWith401InvalidToken() {
        Http.Response call = gh.http.get(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders"), providerToken());
        assertThat(call.status()).isEqualTo(401);
        assertThat(call.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(call.json().getString("check")).isEqualTo("issuer");
    }

    @Test
    void tokenOfARegisteredProvider_isAccepted() {
        registerAndLink();
        Http.Response call = awaitStatus(200, () ->
                gh.http.get(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders"), providerToken()));
        assertThat(call.json().getJsonArray("orders")).hasSize(2);
    }

    @Test
    void providerRotatingToANewKid_isFollowedWithoutRestart() {
        registerAndLink();
        awaitStatus(200, () -> gh.http.get(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders"), providerToken()));
        keys.rotate("key-2");
        String rotated = providerToken();
        // The gateway refetches the JWKS for the unknown kid, at most once per refresh interval (100 ms here).
        awaitStatus(200, () -> gh.http.get(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders"), rotated));
    }

    @Test
    void providerRegisteredByIssuerAndJwksUri_isReadWithItsOwnClaimNames() {
        registerAndLink(new JsonObject().put("name", "Keycloak")
                .put("issuer", provider.issuerUrl(ISSUER_ID).toString())
                .put("jwksUri", provider.jwksUrl(ISSUER_ID).toString())
                .put("claims", new JsonObject().put("clientId", new JsonArray().add("cid")).put("scope", "scp")),
                "external-client-2");
        String mapped = providerToken("someone-else", Map.of("cid", "external-client-2",
                "scp", List.of("urn:acme:orders:read")));
        awaitStatus(200, () -> gh.http.get(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders"), mapped));

        String scopeInTheUsualClaim = providerToken("someone-else", Map.of("cid", "external-client-2",
                "scope", "urn:acme:orders:read"));
        Http.Response refused = gh.http.get(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders"),
                scopeInTheUsualClaim);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("check")).isEqualTo("scope");
    }
}
