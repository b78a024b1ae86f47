package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The refresh_token grant with rotation and reuse detection, driven by the Nimbus SDK's client classes. */
class RefreshTokenGrantTest {

    private static final String CALLBACK = "http://localhost:3000/callback";
    private static final String INVALID = "refresh token is invalid, expired or revoked";

    private static IdpServer server;
    private static Acme acme;
    /** Confidential; password and refresh_token; orders read and write, stock read. */
    private static RegisteredClient mobile;
    /** Public; authorization_code and refresh_token; orders read. */
    private static RegisteredClient spa;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        mobile = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Mobile",
                Set.of("password", "refresh_token"), Set.of(acme.read, acme.write, acme.stockRead), true, null)));
        spa = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("SPA",
                Set.of("authorization_code", "refresh_token"), Set.of(acme.read), false, null, List.of(CALLBACK))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refreshToken_buysANewAccessTokenAndTheNextRefreshToken() throws Exception {
        Tokens first = success(token(mobile, password("bob", acme.read, acme.write)));

        Tokens second = success(token(mobile, refresh(first.getRefreshToken())));

        assertThat(second.getRefreshToken()).isNotNull().isNotEqualTo(first.getRefreshToken());
        assertThat(second.getAccessToken().getScope()).isEqualTo(new Scope(acme.read, acme.write));
        assertThat(SignedJWT.parse(second.getAccessToken().getValue()).getJWTClaimsSet().getSubject())
                .isEqualTo(acme.bob.id());
    }

    @Test
    void reusedRefreshToken_isRefused_andRevokesTheWholeFamily() {
        Tokens first = success(token(mobile, password("bob", acme.read)));
        Tokens second = success(token(mobile, refresh(first.getRefreshToken())));

        TokenResponse reuse = token(mobile, refresh(first.getRefreshToken()));
        TokenResponse rotated = token(mobile, refresh(second.getRefreshToken()));

        assertInvalidGrant(reuse);
        assertInvalidGrant(rotated);
    }

    @Test
    void otherFamilies_surviveAReuse() {
        Tokens victim = success(token(mobile, password("bob", acme.read)));
        Tokens bystander = success(token(mobile, password("bob", acme.read)));
        token(mobile, refresh(victim.getRefreshToken()));
        token(mobile, refresh(victim.getRefreshToken()));

        assertThat(token(mobile, refresh(bystander.getRefreshToken())).indicatesSuccess()).isTrue();
    }

    @Test
    void narrowerScope_isGranted_widerIsInvalidScope() {
        Tokens tokens = success(token(mobile, password("bob", acme.read)));
        Tokens narrower = success(token(mobile, password("bob", acme.read, acme.write)));

        TokenResponse wider = tokenWithScope(mobile, new RefreshTokenGrant(tokens.getRefreshToken()),
                new Scope(acme.read, acme.write));
        Tokens narrowed = success(tokenWithScope(mobile, new RefreshTokenGrant(narrower.getRefreshToken()),
                new Scope(acme.write)));

        assertThat(wider.indicatesSuccess()).isFalse();
        assertThat(wider.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_scope");
        assertThat(wider.toErrorResponse().getErrorObject().getDescription())
                .isEqualTo("scope exceeds what the refresh token was granted");
        assertThat(narrowed.getAccessToken().getScope()).isEqualTo(new Scope(acme.write));
    }

    @Test
    void refreshTokenOfAnotherClient_isInvalidGrant() {
        RegisteredClient other = server.write(tx -> server.idp.registerClient(tx, acme.org.id(),
                new ClientRegistration("Other", Set.of("password", "refresh_token"), Set.of(acme.read), true, null)));
        Tokens tokens = success(token(mobile, password("bob", acme.read)));

        assertInvalidGrant(token(other, refresh(tokens.getRefreshToken())));
    }

    @Test
    void expiredRefreshToken_isInvalidGrant() {
        Tokens tokens = success(token(mobile, password("bob", acme.read)));

        server.clock.advance(TokenEndpoint.REFRESH_TOKEN_LIFETIME.plus(Duration.ofSeconds(1)));

        assertInvalidGrant(token(mobile, refresh(tokens.getRefreshToken())));
    }

    @Test
    void unknownRefreshToken_isInvalidGrant() {
        assertInvalidGrant(token(mobile, refresh(new RefreshToken())));
    }

    @Test
    void clientNotRegisteredForRefreshTokens_getsNone_andCannotUseOne() throws Exception {
        Tokens tokens = success(token(mobile, password("bob", acme.read)));

        Tokens withoutRefresh = success(token(acme.app, password("bob", acme.read)));
        TokenResponse refused = token(acme.app, refresh(tokens.getRefreshToken()));

        assertThat(withoutRefresh.getRefreshToken()).isNull();
        assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("unauthorized_client");
    }

    @Test
    void publicClient_getsAndRotatesRefreshTokensFromTheCodeFlow() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        Browser browser = new Browser();
        URI authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(spa.client().clientId()))
                .redirectionURI(URI.create(CALLBACK)).scope(new Scope(acme.read)).state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(URI.create(server.idp.endpoints("acme").authorizationEndpoint())).build().toURI();
        HttpResponse<String> login = browser.get(authorize);
        HttpResponse<String> consent = browser.submit(login, Map.of("username", "alice", "password", Acme.PASSWORD));
        HttpResponse<String> back = browser.submit(consent, Map.of("action", "allow"));
        AuthorizationResponse response = AuthorizationResponse.parse(
                URI.create(back.headers().firstValue("Location").orElseThrow()));
        Tokens tokens = success(TokenResponse.parse(new TokenRequest(server.tokenEndpoint("acme"),
                new ClientID(spa.client().clientId()), new AuthorizationCodeGrant(
                        response.toSuccessResponse().getAuthorizationCode(), URI.create(CALLBACK), verifier))
                .toHTTPRequest().send()));

        Tokens refreshed = success(TokenResponse.parse(new TokenRequest(server.tokenEndpoint("acme"),
                new ClientID(spa.client().clientId()), new RefreshTokenGrant(tokens.getRefreshToken()))
                .toHTTPRequest().send()));

        assertThat(refreshed.getAccessToken().getScope()).isEqualTo(new Scope(acme.read));
        assertThat(refreshed.getRefreshToken()).isNotEqualTo(tokens.getRefreshToken());
    }

    /** A grant and the scope to ask with it. */
    private record Ask(AuthorizationGrant grant, Scope scope) {
    }

    private static Ask password(String username, String... scopes) {
        return new Ask(new ResourceOwnerPasswordCredentialsGrant(username, new Secret(Acme.PASSWORD)),
                new Scope(scopes));
    }

    private static Ask refresh(RefreshToken token) {
        return new Ask(new RefreshTokenGrant(token), null);
    }

    private static TokenResponse token(RegisteredClient client, Ask ask) {
        return tokenWithScope(client, ask.grant(), ask.scope());
    }

    private static TokenResponse tokenWithScope(RegisteredClient client, AuthorizationGrant grant, Scope scope) {
        TokenRequest request = new TokenRequest(server.tokenEndpoint("acme"),
                new ClientSecretBasic(new ClientID(client.client().clientId()), new Secret(client.clientSecret())),
                grant, scope);
        try {
            return TokenResponse.parse(request.toHTTPRequest().send());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Tokens success(TokenResponse response) {
        assertThat(response.indicatesSuccess())
                .as(() -> "token error: " + response.toErrorResponse().getErrorObject())
                .isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private static void assertInvalidGrant(TokenResponse response) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(response.toErrorResponse().getErrorObject().getDescription()).isEqualTo(INVALID);
    }
}
