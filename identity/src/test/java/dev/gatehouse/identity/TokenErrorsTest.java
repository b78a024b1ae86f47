package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refusal of the token endpoint, with its exact status, headers and body. */
class TokenErrorsTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Map<String, Object> INVALID_CLIENT =
            Map.of("error", "invalid_client", "error_description", "client authentication failed");
    private static final Map<String, Object> INVALID_USER_CREDENTIALS =
            Map.of("error", "invalid_grant", "error_description", "invalid username or password");
    private static final Map<String, Object> UNSUPPORTED_GRANT_TYPE = Map.of("error", "unsupported_grant_type",
            "error_description", "grant_type must be authorization_code, refresh_token, password, client_credentials, "
                        + "urn:ietf:params:oauth:grant-type:token-exchange or "
                        + "urn:ietf:params:oauth:grant-type:device_code");

    private static IdpServer server;
    private static Acme acme;
    private static String passwordQuery;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        passwordQuery = "grant_type=password&username=alice&password=" + encode(Acme.PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void wrongClientSecret_is401InvalidClientWithABasicChallenge() {
        HttpResponse<String> response = token(passwordQuery, "", "Authorization",
                Acme.basic(acme.app.client().clientId(), "not-the-secret"));

        assertInvalidClient(response);
    }

    @Test
    void unknownClient_is401InvalidClientWithABasicChallenge() {
        HttpResponse<String> response = token(passwordQuery, "", "Authorization",
                Acme.basic("no-such-client", acme.app.clientSecret()));

        assertInvalidClient(response);
    }

    @Test
    void confidentialClientNamingItselfWithoutASecret_is401InvalidClient() {
        HttpResponse<String> response = token(passwordQuery + "&client_id=" + acme.app.client().clientId(), "");

        assertInvalidClient(response);
    }

    @Test
    void noClientAuthenticationAtAll_is401InvalidClient() {
        assertInvalidClient(token(passwordQuery, ""));
    }

    @Test
    void clientCredentialsWithoutClientAuthentication_is401InvalidClient() {
        assertInvalidClient(token("grant_type=client_credentials&client_id=" + acme.service.client().clientId(), ""));
    }

    @Test
    void publicClientPresentingASecret_is401InvalidClient() {
        HttpResponse<String> response = token(passwordQuery, "", "Authorization",
                Acme.basic(acme.publicApp.client().clientId(), "made-up-secret"));

        assertInvalidClient(response);
    }

    @Test
    void wrongPasswordAndUnknownUser_getTheSameInvalidGrant() {
        HttpResponse<String> wrongPassword = token("grant_type=password&username=alice&password=wrong-password", "",
                "Authorization", Acme.basic(acme.app));
        HttpResponse<String> unknownUser = token("grant_type=password&username=mallory&password="
                + encode(Acme.PASSWORD), "", "Authorization", Acme.basic(acme.app));

        assertThat(wrongPassword.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(wrongPassword)).isEqualTo(INVALID_USER_CREDENTIALS);
        assertThat(unknownUser.statusCode()).isEqualTo(400);
        assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());
    }

    @Test
    void wrongPassword_throughTheNimbusClient_isInvalidGrant() throws Exception {
        TokenRequest request = new TokenRequest(server.tokenEndpoint("acme"),
                new ClientSecretBasic(new ClientID(acme.app.client().clientId()), new Secret(acme.app.clientSecret())),
                new ResourceOwnerPasswordCredentialsGrant("bob", new Secret("wrong-password")), null);

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        assertThat(error.getCode()).isEqualTo("invalid_grant");
        assertThat(error.getDescription()).isEqualTo("invalid username or password");
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
    }

    @Test
    void grantTypeTheServerDoesNotKnow_isUnsupportedGrantType() {
        HttpResponse<String> response = token("grant_type=urn:example:magic", "", "Authorization",
                Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(UNSUPPORTED_GRANT_TYPE);
    }

    @Test
    void grantTypeNotImplementedYet_isUnsupportedGrantType() {
        HttpResponse<String> response = token("grant_type=" + encode("urn:ietf:params:oauth:grant-type:saml2-bearer")
                + "&assertion=abc", "", "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(UNSUPPORTED_GRANT_TYPE);
    }

    @Test
    void grantTypeTheClientIsNotRegisteredFor_isUnauthorizedClient() throws Exception {
        TokenRequest request = new TokenRequest(server.tokenEndpoint("acme"),
                new ClientSecretBasic(new ClientID(acme.readOnlyApp.client().clientId()),
                        new Secret(acme.readOnlyApp.clientSecret())),
                new ClientCredentialsGrant(), null);

        HttpResponse<String> response = token("grant_type=client_credentials", "", "Authorization",
                Acme.basic(acme.readOnlyApp));
        TokenResponse viaNimbus = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(Map.of("error", "unauthorized_client",
                "error_description", "client is not allowed the client_credentials grant"));
        assertThat(viaNimbus.toErrorResponse().getErrorObject().getCode()).isEqualTo("unauthorized_client");
    }

    @Test
    void scopeNoApiResourceDefines_isInvalidScope() {
        HttpResponse<String> response = token(passwordQuery + "&scope=" + encode(acme.read + " urn:acme:nope:x"), "",
                "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(Map.of("error", "invalid_scope",
                "error_description", "unknown scope 'urn:acme:nope:x'"));
    }

    @Test
    void parameterGivenInTheQueryAndTheBody_isInvalidRequest() {
        HttpResponse<String> response = token(passwordQuery + "&scope=" + encode(acme.read),
                "scope=" + encode(acme.write), "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "Parameter(s) present more than once: [scope]"));
    }

    @Test
    void parameterGivenTwiceInTheBody_isInvalidRequest() {
        HttpResponse<String> response = token("", passwordQuery + "&username=bob", "Authorization",
                Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "Parameter(s) present more than once: [username]"));
    }

    @Test
    void clientSecretInTheUrl_isInvalidRequest() {
        HttpResponse<String> response = token(passwordQuery + "&client_id=" + acme.app.client().clientId()
                + "&client_secret=" + acme.app.clientSecret(), "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "client_secret must not be sent in the URL"));
    }

    @Test
    void missingGrantType_isInvalidRequest() {
        HttpResponse<String> response = token("username=alice", "", "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "Invalid request: Missing grant_type parameter"));
    }

    @Test
    void jsonBody_isInvalidRequest() {
        HttpResponse<String> response = server.post(server.tokenEndpoint("acme"), "",
                "{\"grant_type\":\"client_credentials\"}", "Content-Type", "application/json",
                "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(IdpServer.json(response)).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "the body must be application/x-www-form-urlencoded"));
    }

    @Test
    void unknownOrganization_is404WithTheSameErrorShape() {
        HttpResponse<String> response = server.post(server.tokenEndpoint("nowhere"), passwordQuery, "",
                "Content-Type", FORM, "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(IdpServer.json(response))
                .isEqualTo(Map.of("error", "invalid_request", "error_description", "unknown organization"));
    }

    @Test
    void clientOfAnotherOrganization_is401InvalidClient() {
        new Acme(server, "globex");

        HttpResponse<String> response = server.post(server.tokenEndpoint("globex"), passwordQuery, "",
                "Content-Type", FORM, "Authorization", Acme.basic(acme.app));

        assertInvalidClient(response);
    }

    private static HttpResponse<String> token(String query, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = FORM;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.post(server.tokenEndpoint("acme"), query, body, all);
    }

    private static void assertInvalidClient(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(IdpServer.json(response)).isEqualTo(INVALID_CLIENT);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
