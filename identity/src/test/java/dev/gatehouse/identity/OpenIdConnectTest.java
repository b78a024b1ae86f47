package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenID Connect on top of the code flow: ID tokens with the nonce, userinfo, discovery. */
class OpenIdConnectTest {

    private static final String CALLBACK = "http://localhost:3000/callback";

    private static IdpServer server;
    private static Acme acme;
    private static RegisteredClient spa;
    private static Endpoints endpoints;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        spa = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("SPA",
                Set.of("authorization_code"), Set.of(acme.read), false, null, List.of(CALLBACK))));
        endpoints = server.idp.endpoints("acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void openidScope_addsAnIdTokenWithTheNonceSignedWithAPublishedKey() throws Exception {
        Nonce nonce = new Nonce("n-0S6_WzA2Mj & more");

        OIDCTokenResponse response = signIn(new Scope("openid", "profile", acme.read), nonce);

        SignedJWT idToken = (SignedJWT) response.getOIDCTokens().getIDToken();
        JWKSet jwks = JWKSet.parse(server.get(endpoints.jwksUri()).body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(idToken.getHeader().getKeyID());
        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();
        JWTClaimsSet claims = idToken.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(endpoints.issuer());
        assertThat(claims.getAudience()).containsExactly(spa.client().clientId());
        assertThat(claims.getSubject()).isEqualTo(acme.alice.id());
        assertThat(claims.getStringClaim("nonce")).isEqualTo(nonce.getValue());
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        assertThat(response.getOIDCTokens().getAccessToken().getScope())
                .isEqualTo(new Scope("openid", "profile", acme.read));
    }

    @Test
    void withoutProfile_theIdTokenHasNoUsername_andWithoutNonceNoNonce() throws Exception {
        OIDCTokenResponse response = signIn(new Scope("openid"), null);

        JWTClaimsSet claims = response.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(claims.getClaims()).doesNotContainKeys("preferred_username", "nonce");
    }

    @Test
    void withoutOpenidScope_thereIsNoIdToken() throws Exception {
        Browser browser = new Browser();
        CodeVerifier verifier = new CodeVerifier();
        URI uri = new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(ResponseType.CODE, clientId())
                .redirectionURI(URI.create(CALLBACK)).scope(new Scope(acme.read)).state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(URI.create(endpoints.authorizationEndpoint())).build().toURI();

        HTTPResponse http = redeem(browser, uri, verifier);

        assertThat(http.getBodyAsJSONObject()).containsKey("access_token").doesNotContainKey("id_token");
    }

    @Test
    void userInfo_returnsTheUsersClaims() throws Exception {
        OIDCTokenResponse tokens = signIn(new Scope("openid", "profile"), new Nonce());

        UserInfoResponse response = UserInfoResponse.parse(new UserInfoRequest(URI.create(endpoints.userInfoEndpoint()),
                tokens.getOIDCTokens().getBearerAccessToken()).toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isTrue();
        UserInfo info = response.toSuccessResponse().getUserInfo();
        assertThat(info.getSubject().getValue()).isEqualTo(acme.alice.id());
        assertThat(info.getPreferredUsername()).isEqualTo("alice");
    }

    @Test
    void userInfo_withoutOpenidScope_is403InsufficientScope() throws Exception {
        String token = IdpServer.json(server.post(server.tokenEndpoint("acme"), "",
                "grant_type=password&username=alice&password=" + java.net.URLEncoder.encode(Acme.PASSWORD,
                        java.nio.charset.StandardCharsets.UTF_8) + "&scope=openid",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", Acme.basic(acme.app)))
                .get("access_token").toString();

        HTTPResponse response = new UserInfoRequest(URI.create(endpoints.userInfoEndpoint()),
                new BearerAccessToken(token)).toHTTPRequest().send();

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaderValue("WWW-Authenticate"))
                .isEqualTo("Bearer error=\"insufficient_scope\", error_description=\"Insufficient scope\", "
                        + "scope=\"openid\"");
    }

    @Test
    void userInfo_withABadTokenOrNone_is401() {
        HttpResponse<String> bad = server.send(endpoints.userInfoEndpoint(), "Authorization", "Bearer not.a.jwt");
        HttpResponse<String> none = server.send(endpoints.userInfoEndpoint());

        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer error=\"invalid_token\"");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void userInfo_ofAnotherOrganizationsToken_is401() throws Exception {
        new Acme(server, "globex");
        OIDCTokenResponse tokens = signIn(new Scope("openid"), null);

        HttpResponse<String> response = server.send(server.idp.endpoints("globex").userInfoEndpoint(),
                "Authorization", "Bearer " + tokens.getOIDCTokens().getAccessToken().getValue());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void tooLongNonce_isRedirectedWithInvalidRequest() throws Exception {
        URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), clientId(),
                URI.create(CALLBACK)).state(new State()).nonce(new Nonce("n".repeat(501)))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .endpointURI(URI.create(endpoints.authorizationEndpoint())).build().toURI();

        HttpResponse<String> response = new Browser().get(uri);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(AuthorizationResponse.parse(URI.create(response.headers().firstValue("Location").orElseThrow()))
                .toErrorResponse().getErrorObject().getDescription()).isEqualTo("nonce must be at most 500 characters");
    }

    @Test
    void logout_withAnIdTokenHintAndARegisteredUri_redirectsWithTheState() throws Exception {
        OIDCTokenResponse tokens = signIn(new Scope("openid"), null);
        State state = new State("bye & thanks");
        URI uri = new LogoutRequest(URI.create(endpoints.endSessionEndpoint()), tokens.getOIDCTokens().getIDToken(),
                URI.create(CALLBACK), state).toURI();

        HttpResponse<String> response = new Browser().get(uri);

        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(CALLBACK + "?");
        assertThat(com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(location.getRawQuery()))
                .isEqualTo(Map.of("state", List.of(state.getValue())));
    }

    @Test
    void logout_withoutARedirect_confirmsOnAPage() {
        HttpResponse<String> response = new Browser().get(URI.create(endpoints.endSessionEndpoint()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(LogoutEndpoint.SIGNED_OUT);
    }

    @Test
    void logout_toAnUnregisteredUriOrWithoutAValidHint_isAnErrorPageNeverARedirect() throws Exception {
        OIDCTokenResponse tokens = signIn(new Scope("openid"), null);
        new Acme(server, "initech");
        URI unregistered = new LogoutRequest(URI.create(endpoints.endSessionEndpoint()),
                tokens.getOIDCTokens().getIDToken(), URI.create("https://evil.example/"), null).toURI();
        URI noHint = new LogoutRequest(URI.create(endpoints.endSessionEndpoint()), null, URI.create(CALLBACK), null)
                .toURI();
        URI otherOrganization = new LogoutRequest(URI.create(server.idp.endpoints("initech").endSessionEndpoint()),
                tokens.getOIDCTokens().getIDToken(), URI.create(CALLBACK), null).toURI();

        for (URI uri : List.of(unregistered, noHint, otherOrganization)) {
            HttpResponse<String> response = new Browser().get(uri);

            assertThat(response.statusCode()).as(uri.toString()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(uri.toString()).isEmpty();
        }
    }

    @Test
    void discovery_listsUserInfoAndTheIdentityScopes() {
        Map<String, Object> document = IdpServer.json(server.get(endpoints.discoveryUrl()));

        assertThat(document)
                .containsEntry("userinfo_endpoint", endpoints.userInfoEndpoint())
                .containsEntry("end_session_endpoint", endpoints.endSessionEndpoint())
                .containsEntry("scopes_supported", List.of("openid", "profile"));
    }

    private static OIDCTokenResponse signIn(Scope scope, Nonce nonce) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE, scope,
                clientId(), URI.create(CALLBACK))
                .state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(URI.create(endpoints.authorizationEndpoint()));
        if (nonce != null) {
            request.nonce(nonce);
        }
        HTTPResponse http = redeem(new Browser(), request.build().toURI(), verifier);
        return (OIDCTokenResponse) OIDCTokenResponseParser.parse(http).toSuccessResponse();
    }

    private static HTTPResponse redeem(Browser browser, URI authorize, CodeVerifier verifier) throws Exception {
        HttpResponse<String> page = browser.submit(browser.get(authorize),
                Map.of("username", "alice", "password", Acme.PASSWORD));
        if (page.statusCode() == 200) {
            page = browser.submit(page, Map.of("action", "allow"));
        }
        AuthorizationResponse response = AuthorizationResponse.parse(
                URI.create(page.headers().firstValue("Location").orElseThrow()));
        TokenRequest token = new TokenRequest(server.tokenEndpoint("acme"), clientId(),
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), URI.create(CALLBACK),
                        verifier));
        HTTPResponse http = token.toHTTPRequest().send();
        assertThat(TokenResponse.parse(http).indicatesSuccess()).as(http.getBody()).isTrue();
        return http;
    }

    private static ClientID clientId() {
        return new ClientID(spa.client().clientId());
    }
}
