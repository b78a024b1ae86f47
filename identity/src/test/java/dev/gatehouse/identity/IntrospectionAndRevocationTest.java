package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.Tokens;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 7662 introspection and RFC 7009 revocation, driven by the Nimbus SDK's client classes. */
class IntrospectionAndRevocationTest {

    private static IdpServer server;
    private static Acme acme;
    /** Confidential; password and refresh_token; orders read. */
    private static RegisteredClient mobile;
    private static Endpoints endpoints;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        mobile = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Mobile",
                Set.of("password", "refresh_token"), Set.of(acme.read), true, null)));
        endpoints = server.idp.endpoints("acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void activeAccessToken_isDescribed() {
        Tokens tokens = passwordTokens();

        TokenIntrospectionSuccessResponse status = introspect(acme.service, tokens.getAccessToken());

        assertThat(status.isActive()).isTrue();
        assertThat(status.getScope()).isEqualTo(new Scope(acme.read));
        assertThat(status.getClientID().getValue()).isEqualTo(mobile.client().clientId());
        assertThat(status.getSubject().getValue()).isEqualTo(acme.bob.id());
        assertThat(status.getUsername()).isEqualTo("bob");
        assertThat(status.getIssuer().getValue()).isEqualTo(endpoints.issuer());
        assertThat(status.getTokenType().getValue()).isEqualTo("Bearer");
    }

    @Test
    void revokedAccessToken_introspectsAsInactive() {
        Tokens tokens = passwordTokens();

        HTTPResponse revoked = revoke(mobile, tokens.getAccessToken());

        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(introspect(acme.service, tokens.getAccessToken()).toJSONObject()).isEqualTo(Map.of("active", false));
    }

    @Test
    void revokedRefreshToken_introspectsAsInactive_andBuysNothing() throws Exception {
        Tokens tokens = passwordTokens();
        assertThat(introspect(acme.service, tokens.getRefreshToken()).isActive()).isTrue();

        revoke(mobile, tokens.getRefreshToken());

        assertThat(introspect(acme.service, tokens.getRefreshToken()).isActive()).isFalse();
        TokenResponse refreshed = TokenResponse.parse(new TokenRequest(server.tokenEndpoint("acme"), basic(mobile),
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        assertThat(refreshed.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void revocationByAnotherClient_isAnsweredOkButChangesNothing() {
        Tokens tokens = passwordTokens();

        HTTPResponse response = revoke(acme.service, tokens.getAccessToken());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(introspect(acme.service, tokens.getAccessToken()).isActive()).isTrue();
    }

    @Test
    void revocationOfAnUnknownToken_isAnsweredOk() {
        assertThat(revoke(mobile, new BearerAccessToken("no-such-token")).getStatusCode()).isEqualTo(200);
    }

    @Test
    void garbageAndExpiredTokens_areInactive() {
        Tokens expiring = passwordTokens();
        server.clock.advance(IdpConfig.DEFAULT_ACCESS_TOKEN_LIFETIME.plus(Duration.ofMinutes(1)));

        assertThat(introspect(acme.service, new BearerAccessToken("garbage")).isActive()).isFalse();
        assertThat(introspect(acme.service, expiring.getAccessToken()).isActive()).isFalse();
    }

    @Test
    void tokenOfAnotherOrganization_isInactive() throws Exception {
        Acme globex = new Acme(server, "umbrella");
        TokenResponse response = TokenResponse.parse(new TokenRequest(server.tokenEndpoint("umbrella"),
                basic(globex.service), new ClientCredentialsGrant(), null).toHTTPRequest().send());

        assertThat(introspect(acme.service, response.toSuccessResponse().getTokens().getAccessToken()).isActive())
                .isFalse();
    }

    @Test
    void introspectionWithoutClientAuthentication_orByAPublicClient_is401InvalidClient() {
        String token = passwordTokens().getAccessToken().getValue();
        URI introspect = URI.create(endpoints.introspectionEndpoint());

        HttpResponse<String> anonymous = server.post(introspect, "", "token=" + token,
                "Content-Type", "application/x-www-form-urlencoded");
        HttpResponse<String> wrongSecret = server.post(introspect, "", "token=" + token,
                "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", Acme.basic(acme.service.client().clientId(), "wrong"));
        HttpResponse<String> publicClient = server.post(introspect, "", "token=" + token
                        + "&client_id=" + acme.publicApp.client().clientId(),
                "Content-Type", "application/x-www-form-urlencoded");

        for (HttpResponse<String> response : java.util.List.of(anonymous, wrongSecret, publicClient)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");
            assertThat(IdpServer.json(response)).containsEntry("error", "invalid_client");
        }
    }

    @Test
    void discovery_listsIntrospectionAndRevocation() {
        Map<String, Object> document = IdpServer.json(server.get(endpoints.discoveryUrl()));

        assertThat(document)
                .containsEntry("introspection_endpoint", endpoints.introspectionEndpoint())
                .containsEntry("revocation_endpoint", endpoints.revocationEndpoint());
    }

    private static Tokens passwordTokens() {
        try {
            TokenResponse response = TokenResponse.parse(new TokenRequest(server.tokenEndpoint("acme"),
                    basic(mobile), new ResourceOwnerPasswordCredentialsGrant("bob", new Secret(Acme.PASSWORD)),
                    new Scope(acme.read)).toHTTPRequest().send());
            return response.toSuccessResponse().getTokens();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static TokenIntrospectionSuccessResponse introspect(RegisteredClient client, Token token) {
        try {
            TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                    URI.create(endpoints.introspectionEndpoint()), basic(client), token).toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).isTrue();
            return response.toSuccessResponse();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HTTPResponse revoke(RegisteredClient client, Token token) {
        try {
            return new TokenRevocationRequest(URI.create(endpoints.revocationEndpoint()), basic(client), token)
                    .toHTTPRequest().send();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ClientSecretBasic basic(RegisteredClient client) {
        return new ClientSecretBasic(new ClientID(client.client().clientId()), new Secret(client.clientSecret()));
    }
}
