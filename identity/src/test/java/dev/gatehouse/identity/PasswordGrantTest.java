package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import dev.gatehouse.model.identity.Role;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordGrantTest {

    private static IdpServer server;
    private static Acme acme;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void guidesCurl_queryParametersBasicAuthAndEmptyBody_getsAToken() {
        String query = "grant_type=password&scope=" + encode(acme.read + " " + acme.write)
                + "&username=bob&password=" + encode(Acme.PASSWORD);

        HttpResponse<String> response = server.post(server.tokenEndpoint("acme"), query, "",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
        Map<String, Object> body = IdpServer.json(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "scope");
        assertThat(body).containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 900L)
                .containsEntry("scope", acme.read + " " + acme.write);
    }

    @Test
    void formBodyWithClientSecretPost_getsAToken() {
        String body = "grant_type=password&username=alice&password=" + encode(Acme.PASSWORD)
                + "&scope=" + encode(acme.read) + "&client_id=" + acme.app.client().clientId()
                + "&client_secret=" + acme.app.clientSecret();

        HttpResponse<String> response = server.post(server.tokenEndpoint("acme"), "", body,
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(IdpServer.json(response)).containsEntry("scope", acme.read);
    }

    @Test
    void parametersSplitBetweenQueryAndBody_areMerged() {
        HttpResponse<String> response = server.post(server.tokenEndpoint("acme"),
                "grant_type=password&scope=" + encode(acme.read),
                "username=alice&password=" + encode(Acme.PASSWORD),
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", Acme.basic(acme.app));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(IdpServer.json(response)).containsEntry("scope", acme.read);
    }

    @Test
    void nimbusClientWithBasicAuth_getsATokenWithTheGrantedScopes() throws Exception {
        AccessTokenResponse response = passwordGrant(basicAuth(acme.app), "bob", new Scope(acme.read, acme.write));

        AccessToken token = response.getTokens().getAccessToken();
        assertThat(token.getScope().toStringList()).containsExactlyInAnyOrder(acme.read, acme.write);
        assertThat(token.getLifetime()).isEqualTo(900);
    }

    @Test
    void nimbusClientWithClientSecretPost_getsAToken() throws Exception {
        ClientSecretPost auth = new ClientSecretPost(new ClientID(acme.app.client().clientId()),
                new Secret(acme.app.clientSecret()));

        AccessTokenResponse response = passwordGrant(auth, "alice", new Scope(acme.read));

        assertThat(response.getTokens().getAccessToken().getScope().toStringList()).containsExactly(acme.read);
    }

    @Test
    void publicClientWithItsClientIdAlone_getsAToken() throws Exception {
        TokenRequest request = new TokenRequest(server.tokenEndpoint("acme"),
                new ClientID(acme.publicApp.client().clientId()),
                new ResourceOwnerPasswordCredentialsGrant("bob", new Secret(Acme.PASSWORD)),
                new Scope(acme.write));

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.toSuccessResponse().getTokens().getAccessToken().getScope().toStringList())
                .containsExactly(acme.write);
    }

    @Test
    void accessToken_isAnRfc9068JwtThatVerifiesWithTheJwksFetchedOverHttp() throws Exception {
        AccessTokenResponse response = passwordGrant(basicAuth(acme.app), "alice", new Scope(acme.read));
        SignedJWT jwt = SignedJWT.parse(response.getTokens().getAccessToken().getValue());
        JWKSet jwks = JWKSet.load(URI.create(server.idp.endpoints("acme").jwksUri()).toURL());

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the kid names a published key").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        String clientId = acme.app.client().clientId();
        assertThat(claims.getIssuer()).isEqualTo(server.baseUrl + "/t/acme/oauth2/token");
        assertThat(claims.getSubject()).isEqualTo(acme.alice.id());
        assertThat(claims.getAudience()).containsExactly(clientId, acme.ordersApi);
        assertThat(claims.getStringClaim("azp")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("scope")).isEqualTo(acme.read);
        assertThat(claims.getStringClaim("username")).isEqualTo("alice");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(server.clock.instant());
        assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
        assertThat(claims.getExpirationTime().toInstant())
                .isEqualTo(claims.getIssueTime().toInstant().plus(Acme.APP_TOKEN_LIFETIME));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaims().keySet()).containsExactlyInAnyOrder(
                "iss", "sub", "aud", "azp", "client_id", "scope", "iat", "nbf", "exp", "jti", "username");
    }

    @Test
    void everyToken_hasItsOwnJti() throws Exception {
        String first = passwordGrant(basicAuth(acme.app), "alice", null).getTokens().getAccessToken().getValue();
        String second = passwordGrant(basicAuth(acme.app), "alice", null).getTokens().getAccessToken().getValue();

        assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID())
                .isNotEqualTo(SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
    }

    @Test
    void audience_namesEveryApiResourceWhoseScopeWasGranted() throws Exception {
        AccessTokenResponse response = passwordGrant(basicAuth(acme.app), "bob",
                new Scope(acme.write, acme.stockRead));

        JWTClaimsSet claims = SignedJWT.parse(response.getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(claims.getAudience())
                .containsExactly(acme.app.client().clientId(), acme.ordersApi, acme.stockApi);
    }

    @Test
    void userWhoseRoleAllowsReadOnly_askingForReadAndWrite_getsRead() throws Exception {
        AccessTokenResponse response = passwordGrant(basicAuth(acme.app), "alice", new Scope(acme.read, acme.write));

        assertThat(response.getTokens().getAccessToken().getScope().toStringList()).containsExactly(acme.read);
        JWTClaimsSet claims = SignedJWT.parse(response.getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scope")).isEqualTo(acme.read);
    }

    @Test
    void clientNotAuthorizedForWrite_getsReadEvenForAUserAllowedWrite() throws Exception {
        AccessTokenResponse response = passwordGrant(basicAuth(acme.readOnlyApp), "bob",
                new Scope(acme.read, acme.write));

        assertThat(response.getTokens().getAccessToken().getScope().toStringList()).containsExactly(acme.read);
    }

    @Test
    void knownScopesNeitherAllowedNorAuthorized_areDroppedAndTheResponseSaysSo() {
        HttpResponse<String> response = server.post(server.tokenEndpoint("acme"),
                "grant_type=password&username=alice&password=" + encode(Acme.PASSWORD)
                        + "&scope=" + encode(acme.write), "",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", Acme.basic(acme.readOnlyApp));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(IdpServer.json(response)).containsEntry("scope", "");
    }

    @Test
    void openIdScopes_areAcceptedButNotGranted() throws Exception {
        AccessTokenResponse response = passwordGrant(basicAuth(acme.app), "alice",
                new Scope("openid", "profile", "email", acme.read));

        assertThat(response.getTokens().getAccessToken().getScope().toStringList()).containsExactly(acme.read);
    }

    @Test
    void noScopeRequested_getsATokenWithNoScopeForTheClientAlone() throws Exception {
        AccessTokenResponse response = passwordGrant(basicAuth(acme.app), "bob", null);

        JWTClaimsSet claims = SignedJWT.parse(response.getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scope")).isEmpty();
        assertThat(claims.getAudience()).containsExactly(acme.app.client().clientId());
    }

    @Test
    void cliClient_givesAnAdminAManagementTokenWithoutScopes() throws Exception {
        server.write(tx -> server.idp.createUser(tx, acme.org.id(), "root@acme.test", "s3cret-admin!",
                Set.of(Role.ADMIN)));
        TokenRequest request = new TokenRequest(server.tokenEndpoint("acme"),
                new ClientID(BuiltInIdentityProvider.CLI_CLIENT_ID),
                new ResourceOwnerPasswordCredentialsGrant("root@acme.test", new Secret("s3cret-admin!")), null);

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isTrue();
        String token = response.toSuccessResponse().getTokens().getAccessToken().getValue();
        VerifiedToken verified = server.idp.verify(token).orElseThrow();
        assertThat(verified.clientId()).isEqualTo("gatehouse-cli");
        assertThat(verified.scopes()).isEmpty();
        assertThat(verified.claims().getStringClaim("username")).isEqualTo("root@acme.test");
        assertThat(verified.claims().getExpirationTime().toInstant())
                .isEqualTo(server.clock.instant().plus(IdpConfig.DEFAULT_ACCESS_TOKEN_LIFETIME));
    }

    private static ClientSecretBasic basicAuth(RegisteredClient client) {
        return new ClientSecretBasic(new ClientID(client.client().clientId()), new Secret(client.clientSecret()));
    }

    private static AccessTokenResponse passwordGrant(com.nimbusds.oauth2.sdk.auth.ClientAuthentication auth,
                                                     String username, Scope scope) throws Exception {
        TokenRequest request = new TokenRequest(server.tokenEndpoint("acme"), auth,
                new ResourceOwnerPasswordCredentialsGrant(username, new Secret(Acme.PASSWORD)), scope);
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess())
                .as(() -> "token error: " + response.toErrorResponse().getErrorObject())
                .isTrue();
        return response.toSuccessResponse();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
