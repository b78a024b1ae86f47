package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization code flow with PKCE, driven by the Nimbus SDK's client classes and a browser that signs in
 * and consents on the server's own pages, and every refusal of it.
 */
class AuthorizationCodeFlowTest {

    private static final String SPA_CALLBACK = "http://localhost:3000/callback";
    private static final String WEB_CALLBACK = "https://web.acme.test/callback";
    private static final String OTHER_WEB_CALLBACK = "https://web.acme.test/other";

    private static IdpServer server;
    private static Acme acme;
    /** Public; authorization_code; orders read and write, stock read. */
    private static RegisteredClient spa;
    /** Confidential; authorization_code; orders read and write; two redirect URIs. */
    private static RegisteredClient web;
    private static URI authorizeEndpoint;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        spa = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Single page",
                Set.of("authorization_code"), Set.of(acme.read, acme.write, acme.stockRead), false, null,
                List.of(SPA_CALLBACK))));
        web = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Web shop",
                Set.of("authorization_code"), Set.of(acme.read, acme.write), true, null,
                List.of(WEB_CALLBACK, OTHER_WEB_CALLBACK))));
        authorizeEndpoint = URI.create(server.idp.endpoints("acme").authorizationEndpoint());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void publicClientWithPkce_signsInConsentsAndRedeemsTheCodeForAUserToken() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State("a state/with ?odd&chars=");
        Browser browser = new Browser();

        HttpResponse<String> login = browser.get(authorize(spa, SPA_CALLBACK, state, verifier, acme.read, acme.write));
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.body()).contains("Sign in", "Single page");
        HttpResponse<String> consent = browser.submit(login, Map.of("username", "alice", "password", Acme.PASSWORD));
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Allow access", acme.read).doesNotContain(acme.write);
        HttpResponse<String> back = browser.submit(consent, Map.of("action", "allow"));

        assertThat(back.statusCode()).isEqualTo(303);
        AuthorizationResponse response = AuthorizationResponse.parse(location(back));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        assertThat(location(back).toString()).startsWith(SPA_CALLBACK + "?");
        AccessTokenResponse tokens = redeem(spa, null, response.toSuccessResponse().getAuthorizationCode(),
                SPA_CALLBACK, verifier).toSuccessResponse();
        JWTClaimsSet claims = SignedJWT.parse(tokens.getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(acme.alice.id());
        assertThat(claims.getStringClaim("client_id")).isEqualTo(spa.client().clientId());
        assertThat(claims.getStringClaim("username")).isEqualTo("alice");
        assertThat(claims.getStringClaim("scope")).isEqualTo(acme.read);
    }

    @Test
    void consent_isRememberedPerUserAndClient_andAskedOnlyForNewScopes() {
        Browser browser = new Browser();
        code(browser, spa, SPA_CALLBACK, new CodeVerifier(), "bob", acme.read);

        HttpResponse<String> again = signIn(browser, authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(),
                acme.read), "bob");
        HttpResponse<String> wider = signIn(browser, authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(),
                acme.read, acme.stockRead), "bob");

        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(wider.statusCode()).isEqualTo(200);
        assertThat(wider.body()).contains(acme.stockRead).doesNotContain(acme.read);
    }

    @Test
    void confidentialClient_redeemsWithItsSecret_andItsPkceIsOptional() {
        Browser browser = new Browser();
        AuthorizationCode code = code(browser, web, WEB_CALLBACK, null, "bob", acme.write);

        TokenResponse response = redeem(web, secretOf(web), code, WEB_CALLBACK, null);

        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.toSuccessResponse().getTokens().getAccessToken().getScope())
                .isEqualTo(new Scope(acme.write));
    }

    @Test
    void confidentialClientWithoutItsSecret_isInvalidClient() throws Exception {
        AuthorizationCode code = code(new Browser(), web, WEB_CALLBACK, null, "bob", acme.write);

        HttpResponse<String> response = server.post(server.tokenEndpoint("acme"), "", "grant_type=authorization_code"
                        + "&code=" + code.getValue() + "&client_id=" + web.client().clientId() + "&redirect_uri="
                        + java.net.URLEncoder.encode(WEB_CALLBACK, java.nio.charset.StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");
        assertThat(IdpServer.json(response))
                .isEqualTo(Map.of("error", "invalid_client", "error_description", "client authentication failed"));
    }

    @Test
    void deny_redirectsWithAccessDeniedAndTheState() throws Exception {
        Browser browser = new Browser();
        State state = new State();
        HttpResponse<String> consent = signIn(browser, authorize(spa, SPA_CALLBACK, state, new CodeVerifier(),
                acme.write), "bob");

        HttpResponse<String> back = browser.submit(consent, Map.of("action", "deny"));

        assertErrorRedirect(back, SPA_CALLBACK, state, "access_denied", "the user denied access");
    }

    @Test
    void wrongPasswordAndUnknownUser_showTheSameGenericMessage() {
        Browser browser = new Browser();
        HttpResponse<String> login = browser.get(authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(),
                acme.read));

        HttpResponse<String> wrongPassword = browser.submit(login, Map.of("username", "alice", "password", "nope"));
        HttpResponse<String> unknownUser = browser.submit(login, Map.of("username", "mallory", "password", "nope"));

        for (HttpResponse<String> response : List.of(wrongPassword, unknownUser)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Location")).isEmpty();
            assertThat(response.body()).contains("Invalid username or password.");
        }
        assertThat(wrongPassword.body().replace("alice", "mallory")).isEqualTo(unknownUser.body());
    }

    @Test
    void signInForm_refusesAThrottledUserWithAGenericMessage() {
        Browser browser = new Browser();
        HttpResponse<String> login = browser.get(authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(),
                acme.read));
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            browser.submit(login, Map.of("username", "throttled-user", "password", "nope"));
        }

        HttpResponse<String> response = browser.submit(login, Map.of("username", "throttled-user",
                "password", "nope"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(AuthorizationEndpoint.THROTTLED);
    }

    @Test
    void formWithoutTheCookiesCsrfToken_isRefused() {
        Browser browser = new Browser();
        HttpResponse<String> login = browser.get(authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(),
                acme.read));

        HttpResponse<String> forged = browser.submit(login, Map.of("csrf", "x".repeat(43), "username", "alice",
                "password", Acme.PASSWORD));
        HttpResponse<String> otherBrowser = new Browser().submit(login, Map.of("username", "alice",
                "password", Acme.PASSWORD));

        for (HttpResponse<String> response : List.of(forged, otherBrowser)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains(AuthorizationEndpoint.EXPIRED_FORM);
        }
    }

    @Test
    void tamperedConsentTicket_isRefused() {
        Browser browser = new Browser();
        HttpResponse<String> consent = signIn(browser, authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(),
                acme.write), "bob");
        String ticket = Browser.hiddenFields(consent.body()).get("ticket");

        HttpResponse<String> response = browser.submit(consent, Map.of("action", "allow",
                "ticket", ticket.substring(0, ticket.length() - 4) + "AAAA"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(AuthorizationEndpoint.EXPIRED_FORM);
    }

    @Test
    void consentTicketForAnotherRequest_isRefused() {
        Browser browser = new Browser();
        HttpResponse<String> consent = signIn(browser, authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(),
                acme.write), "bob");
        String otherRequest = authorize(spa, SPA_CALLBACK, new State(), new CodeVerifier(), acme.write, acme.read)
                .getRawQuery();

        HttpResponse<String> response = browser.submit(consent, Map.of("action", "allow", "request", otherRequest));

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void unregisteredRedirectUri_isAnErrorPageNeverARedirect() {
        for (String redirect : List.of("https://evil.example/callback", SPA_CALLBACK + "/", SPA_CALLBACK + "?x=1")) {
            HttpResponse<String> response = new Browser().get(authorize(spa, redirect, new State(),
                    new CodeVerifier(), acme.read));

            assertThat(response.statusCode()).as(redirect).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(redirect).isEmpty();
            assertThat(response.body()).contains("redirect_uri is not one it registered");
        }
    }

    @Test
    void organizationHandleThatCannotExist_isA404PageWithoutACookie() {
        HttpResponse<String> response = new Browser().get(URI.create(server.baseUrl
                + "/t/x%3B%20Domain%3Devil.example/oauth2/authorize"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void unknownClient_isAnErrorPage() {
        URI uri = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("nobody"))
                .redirectionURI(URI.create(SPA_CALLBACK)).endpointURI(authorizeEndpoint).build().toURI();

        HttpResponse<String> response = new Browser().get(uri);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not registered with this organization");
    }

    @Test
    void publicClientWithoutPkceOrWithPlainPkce_isRedirectedWithInvalidRequest() {
        State state = new State();
        CodeVerifier verifier = new CodeVerifier();
        URI none = new AuthorizationRequest.Builder(ResponseType.CODE, clientId(spa)).state(state)
                .redirectionURI(URI.create(SPA_CALLBACK)).endpointURI(authorizeEndpoint).build().toURI();
        URI plain = new AuthorizationRequest.Builder(ResponseType.CODE, clientId(spa)).state(state)
                .codeChallenge(verifier, CodeChallengeMethod.PLAIN)
                .redirectionURI(URI.create(SPA_CALLBACK)).endpointURI(authorizeEndpoint).build().toURI();

        for (URI uri : List.of(none, plain)) {
            assertErrorRedirect(new Browser().get(uri), SPA_CALLBACK, state, "invalid_request",
                    "a code_challenge with code_challenge_method S256 is required");
        }
    }

    @Test
    void responseTypeToken_isRedirectedWithUnsupportedResponseType() {
        State state = new State();
        URI uri = new AuthorizationRequest.Builder(ResponseType.TOKEN, clientId(spa)).state(state)
                .redirectionURI(URI.create(SPA_CALLBACK)).endpointURI(authorizeEndpoint).build().toURI();

        assertErrorRedirect(new Browser().get(uri), SPA_CALLBACK, state, "unsupported_response_type",
                "response_type must be code");
    }

    @Test
    void unknownScope_isRedirectedWithInvalidScope() {
        State state = new State();

        HttpResponse<String> response = new Browser().get(authorize(spa, SPA_CALLBACK, state, new CodeVerifier(),
                "urn:acme:payroll:read"));

        assertErrorRedirect(response, SPA_CALLBACK, state, "invalid_scope", "unknown scope 'urn:acme:payroll:read'");
    }

    @Test
    void clientNotRegisteredForTheCodeGrant_isRedirectedWithUnauthorizedClient() {
        RegisteredClient passwordOnly = server.write(tx -> server.idp.registerClient(tx, acme.org.id(),
                new ClientRegistration("Password only", Set.of("password"), Set.of(acme.read), true, null,
                        List.of(WEB_CALLBACK))));
        State state = new State();

        HttpResponse<String> response = new Browser().get(authorize(passwordOnly, WEB_CALLBACK, state, null,
                acme.read));

        assertErrorRedirect(response, WEB_CALLBACK, state, "unauthorized_client",
                "client is not allowed the authorization_code grant");
    }

    @Test
    void wrongPkceVerifier_isInvalidGrant_andBurnsTheCode() {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = code(new Browser(), spa, SPA_CALLBACK, verifier, "bob", acme.read);

        TokenResponse wrong = redeem(spa, null, code, SPA_CALLBACK, new CodeVerifier());
        TokenResponse right = redeem(spa, null, code, SPA_CALLBACK, verifier);

        assertInvalidGrant(wrong, "code_verifier does not match the code_challenge");
        assertInvalidGrant(right, "authorization code is invalid, expired or already used");
    }

    @Test
    void missingPkceVerifier_isInvalidGrant() {
        AuthorizationCode code = code(new Browser(), spa, SPA_CALLBACK, new CodeVerifier(), "bob", acme.read);

        assertInvalidGrant(redeem(spa, null, code, SPA_CALLBACK, null),
                "code_verifier does not match the code_challenge");
    }

    @Test
    void verifierForACodeWithoutChallenge_isInvalidGrant() {
        AuthorizationCode code = code(new Browser(), web, WEB_CALLBACK, null, "bob", acme.read);

        assertInvalidGrant(redeem(web, secretOf(web), code, WEB_CALLBACK, new CodeVerifier()),
                "code_verifier does not match the code_challenge");
    }

    @Test
    void codeReuse_isInvalidGrant() {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = code(new Browser(), spa, SPA_CALLBACK, verifier, "bob", acme.read);

        TokenResponse first = redeem(spa, null, code, SPA_CALLBACK, verifier);
        TokenResponse second = redeem(spa, null, code, SPA_CALLBACK, verifier);

        assertThat(first.indicatesSuccess()).isTrue();
        assertInvalidGrant(second, "authorization code is invalid, expired or already used");
    }

    @Test
    void redirectUriOtherThanTheRequests_isInvalidGrant() {
        AuthorizationCode code = code(new Browser(), web, WEB_CALLBACK, null, "bob", acme.read);

        assertInvalidGrant(redeem(web, secretOf(web), code, OTHER_WEB_CALLBACK, null),
                "redirect_uri does not match the authorization request");
    }

    @Test
    void expiredCode_isInvalidGrant() {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = code(new Browser(), spa, SPA_CALLBACK, verifier, "bob", acme.read);

        server.clock.advance(AuthorizationEndpoint.CODE_LIFETIME.plus(Duration.ofSeconds(1)));

        assertInvalidGrant(redeem(spa, null, code, SPA_CALLBACK, verifier),
                "authorization code is invalid, expired or already used");
    }

    @Test
    void codeOfAnotherClient_isInvalidGrant() {
        AuthorizationCode code = code(new Browser(), web, WEB_CALLBACK, null, "bob", acme.read);
        RegisteredClient other = server.write(tx -> server.idp.registerClient(tx, acme.org.id(),
                new ClientRegistration("Other", Set.of("authorization_code"), Set.of(acme.read), true, null,
                        List.of(WEB_CALLBACK))));

        assertInvalidGrant(redeem(other, secretOf(other), code, WEB_CALLBACK, null),
                "authorization code is invalid, expired or already used");
    }

    private static AuthorizationCode code(Browser browser, RegisteredClient client, String redirect,
                                          CodeVerifier verifier, String username, String... scopes) {
        HttpResponse<String> page = signIn(browser, authorize(client, redirect, new State(), verifier, scopes),
                username);
        if (page.statusCode() == 200) {
            page = browser.submit(page, Map.of("action", "allow"));
        }
        try {
            return AuthorizationResponse.parse(location(page)).toSuccessResponse().getAuthorizationCode();
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> signIn(Browser browser, URI authorize, String username) {
        HttpResponse<String> login = browser.get(authorize);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return browser.submit(login, Map.of("username", username, "password", Acme.PASSWORD));
    }

    private static URI authorize(RegisteredClient client, String redirect, State state, CodeVerifier verifier,
                                 String... scopes) {
        AuthorizationRequest.Builder builder = new AuthorizationRequest.Builder(ResponseType.CODE, clientId(client))
                .redirectionURI(URI.create(redirect))
                .scope(new Scope(scopes))
                .state(state)
                .endpointURI(authorizeEndpoint);
        if (verifier != null) {
            builder.codeChallenge(verifier, CodeChallengeMethod.S256);
        }
        return builder.build().toURI();
    }

    private static TokenResponse redeem(RegisteredClient client, ClientAuthentication auth, AuthorizationCode code,
                                        String redirect, CodeVerifier verifier) {
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(code, URI.create(redirect), verifier);
        TokenRequest request = auth == null
                ? new TokenRequest(server.tokenEndpoint("acme"), clientId(client), grant)
                : new TokenRequest(server.tokenEndpoint("acme"), auth, grant);
        try {
            return TokenResponse.parse(request.toHTTPRequest().send());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ClientSecretBasic secretOf(RegisteredClient client) {
        return new ClientSecretBasic(clientId(client), new Secret(client.clientSecret()));
    }

    private static ClientID clientId(RegisteredClient client) {
        return new ClientID(client.client().clientId());
    }

    private static URI location(HttpResponse<String> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no redirect: " + response.statusCode() + " " + response.body())));
    }

    private static void assertErrorRedirect(HttpResponse<String> response, String redirect, State state,
                                            String code, String description) {
        assertThat(response.statusCode()).isIn(302, 303);
        assertThat(location(response).toString()).startsWith(redirect + "?");
        AuthorizationErrorResponse error;
        try {
            error = AuthorizationResponse.parse(location(response)).toErrorResponse();
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(e);
        }
        assertThat(error.getState()).isEqualTo(state);
        ErrorObject object = error.getErrorObject();
        assertThat(object.getCode()).isEqualTo(code);
        assertThat(object.getDescription()).isEqualTo(description);
    }

    private static void assertInvalidGrant(TokenResponse response, String description) {
        assertThat(response.indicatesSuccess()).isFalse();
        TokenErrorResponse error = response.toErrorResponse();
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(error.getErrorObject().getDescription()).isEqualTo(description);
        assertThat(error.getErrorObject().getHTTPStatusCode()).isEqualTo(400);
    }
}
