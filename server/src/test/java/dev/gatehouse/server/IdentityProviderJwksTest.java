package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status of identity providers' key sets (JWKS) as admins see it, over real HTTP, against an OpenID provider
 * Gatehouse did not write (NAV's mock-oauth2-server on loopback), which the test stops to see it go unreachable.
 */
class IdentityProviderJwksTest {

    private static final String ISSUER_ID = "partner";

    private MockOAuth2Server provider;
    private TestGatehouse gh;
    private String ada;
    private String providersUrl;

    @BeforeEach
    void start() throws UnknownHostException {
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        gh = TestGatehouse.start();
        ada = gh.loginDemo(DemoData.ADMIN);
        providersUrl = gh.api("/orgs/acme/identity-providers");
    }

    @AfterEach
    void stop() {
        gh.close();
        provider.shutdown();
    }

    private JsonObject register() {
        return gh.created(gh.http.post(providersUrl, ada, new JsonObject().put("name", "Partner")
                .put("discoveryUrl", provider.wellKnownUrl(ISSUER_ID).toString())));
    }

    private Http.Response refresh(String idpId, String token) {
        return gh.http.post(providersUrl + "/" + idpId + "/jwks/refresh", token, new JsonObject());
    }

    @Test
    void registeredProvider_showsItsKeySetOk_withKeysAndTheTimeItWasRead() {
        JsonObject registered = register();

        JsonObject jwks = registered.getJsonObject("jwks");
        assertThat(jwks.getString("status")).isEqualTo("ok");
        assertThat(jwks.getInteger("keys")).isGreaterThanOrEqualTo(1);
        assertThat(jwks.getString("lastRefresh")).isNotNull();
        assertThat(jwks.containsKey("error")).isFalse();
        JsonObject read = gh.ok(gh.http.get(providersUrl + "/" + registered.getString("id"), ada));
        assertThat(read.getJsonObject("jwks")).isEqualTo(jwks);
    }

    @Test
    void instanceMetadataAddresses_areNeverFetched() {
        Http.Response discovery = gh.http.post(providersUrl, ada, new JsonObject().put("name", "Metadata")
                .put("discoveryUrl", "http://169.254.169.254/.well-known/openid-configuration"));
        assertThat(discovery.status()).isEqualTo(400);
        assertThat(discovery.json().getString("detail"))
                .isEqualTo("discoveryUrl: could not fetch the discovery document: nothing is fetched from 169.254.169.254");

        JsonObject direct = gh.created(gh.http.post(providersUrl, ada, new JsonObject().put("name", "Direct")
                .put("issuer", "https://direct.example").put("jwksUri", "http://169.254.169.254/keys")));
        assertThat(direct.getJsonObject("jwks").getString("status")).isEqualTo("unreachable");
        assertThat(direct.getJsonObject("jwks").getString("error")).contains("nothing is fetched from 169.254.169.254");
    }

    @Test
    void builtInProvider_reportsTheKeysItPublishes_andEveryListedProviderHasAStatus() {
        register();

        Http.Response list = gh.http.get(providersUrl, gh.loginDemo(DemoData.SUBSCRIBER));

        assertThat(list.status()).isEqualTo(200);
        JsonObject builtIn = list.array().stream().map(JsonObject.class::cast)
                .filter(idp -> idp.getString("type").equals("built-in")).findFirst().orElseThrow();
        assertThat(builtIn.getJsonObject("jwks").getString("status")).isEqualTo("ok");
        assertThat(builtIn.getJsonObject("jwks").getInteger("keys")).isGreaterThanOrEqualTo(1);
        assertThat(list.array()).hasSize(2).allMatch(idp -> ((JsonObject) idp).getJsonObject("jwks")
                .getString("status").equals("ok"));
    }

    @Test
    void stoppedProvider_isUnreachableOnRefresh_andKeepsTheTimeOfItsLastSuccess() {
        JsonObject registered = register();
        String lastRefresh = registered.getJsonObject("jwks").getString("lastRefresh");
        String idpUrl = providersUrl + "/" + registered.getString("id");
        provider.shutdown();

        JsonObject stillCached = gh.ok(gh.http.get(idpUrl, ada)).getJsonObject("jwks");
        assertThat(stillCached.getString("status")).as("checked less than a minute ago").isEqualTo("ok");

        JsonObject refreshed = gh.ok(refresh(registered.getString("id"), ada));

        JsonObject jwks = refreshed.getJsonObject("jwks");
        assertThat(jwks.getString("status")).isEqualTo("unreachable");
        assertThat(jwks.getString("lastRefresh")).isEqualTo(lastRefresh);
        assertThat(jwks.getString("error")).isNotBlank();
        assertThat(refreshed.getString("issuer")).isEqualTo(registered.getString("issuer"));
        assertThat(gh.ok(gh.http.get(idpUrl, ada)).getJsonObject("jwks")).isEqualTo(jwks);
    }

    @Test
    void jwksUriServingSomethingElse_isInvalid() {
        JsonObject registered = gh.created(gh.http.post(providersUrl, ada, new JsonObject().put("name", "Misconfigured")
                .put("issuer", provider.issuerUrl(ISSUER_ID).toString())
                .put("jwksUri", provider.wellKnownUrl(ISSUER_ID).toString())));

        JsonObject jwks = registered.getJsonObject("jwks");
        assertThat(jwks.getString("status")).isEqualTo("invalid");
        assertThat(jwks.getInteger("keys")).isZero();
        assertThat(jwks.getValue("lastRefresh")).isNull();
        assertThat(jwks.getString("error")).isNotBlank();
    }

    @Test
    void refresh_needsTheAdminRole_andAKnownProvider() {
        String idpId = register().getString("id");

        Http.Response publisher = refresh(idpId, gh.loginDemo(DemoData.PUBLISHER));
        assertThat(publisher.status()).isEqualTo(403);
        assertThat(publisher.json().getString("detail")).isEqualTo("this operation needs the role admin in organization 'acme'");
        assertThat(refresh(idpId, gh.loginDemo(DemoData.SUBSCRIBER)).status()).isEqualTo(403);
        assertThat(refresh("no-such-provider", ada).status()).isEqualTo(404);
        assertThat(gh.http.get(providersUrl + "/no-such-provider", ada).status()).isEqualTo(404);
        assertThat(gh.http.post(gh.api("/orgs/accounts/identity-providers/" + idpId + "/jwks/refresh"), ada,
                new JsonObject()).status()).isEqualTo(404);
    }

    @Test
    void registeringAnIssuerTwice_isRefusedWith409_andLeavesTheProvidersAsTheyWere() {
        register();
        int before = gh.http.get(providersUrl, ada).array().size();

        Http.Response again = gh.http.post(providersUrl, ada, new JsonObject().put("name", "Partner again")
                .put("discoveryUrl", provider.wellKnownUrl(ISSUER_ID).toString()));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("issuer");
        assertThat(gh.http.get(providersUrl, ada).array()).hasSize(before);
    }
}
