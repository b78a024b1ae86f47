package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opaque access tokens for an application registered for them: issued, introspected, verified and revoked. */
class OpaqueAccessTokenTest {

    private static IdpServer server;
    private static Acme acme;
    private static RegisteredClient service;
    private static Endpoints endpoints;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        service = server.write(tx -> {
            RegisteredClient registered = server.idp.registerClient(tx, acme.org.id(), new ClientRegistration(
                    "Batch job", Set.of("client_credentials"), Set.of(acme.read), true, null));
            tx.oauthClients().setOpaqueAccessTokens(acme.org.id(), registered.client().clientId(), true);
            return registered;
        });
        endpoints = server.idp.endpoints("acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anOpaqueToken_isARandomReference_thatSaysNothingByItself() {
        AccessToken token = token();

        assertThat(token.getValue()).startsWith("gh_at_").doesNotContain(".");
        assertThat(token.getValue().length()).isGreaterThanOrEqualTo(6 + 43);
        String decoded = new String(Base64.getUrlDecoder().decode(token.getValue().substring(6)),
                StandardCharsets.ISO_8859_1);
        assertThat(decoded).doesNotContain(acme.read).doesNotContain("acme");
        assertThat(token.getLifetime()).isPositive();
        assertThat(token()).isNotEqualTo(token);
    }

    @Test
    void anOpaqueToken_introspectsWithTheClaimsAJwtWouldCarry() {
        AccessToken token = token();

        TokenIntrospectionSuccessResponse status = introspect(token);

        assertThat(status.isActive()).isTrue();
        assertThat(status.getScope()).isEqualTo(new Scope(acme.read));
        assertThat(status.getClientID().getValue()).isEqualTo(service.client().clientId());
        assertThat(status.getIssuer().getValue()).isEqualTo(endpoints.issuer());
        assertThat(status.getJWTID()).isNotNull();
        assertThat(server.idp.verify(token.getValue())).hasValueSatisfying(verified -> {
            assertThat(verified.orgHandle()).isEqualTo("acme");
            assertThat(verified.scopes()).containsExactly(acme.read);
        });
    }

    @Test
    void aRevokedOpaqueToken_isInactive() throws Exception {
        AccessToken token = token();

        assertThat(new TokenRevocationRequest(URI.create(endpoints.revocationEndpoint()), basic(), token)
                .toHTTPRequest().send().getStatusCode()).isEqualTo(200);

        assertThat(introspect(token).toJSONObject()).isEqualTo(Map.of("active", false));
    }

    @Test
    void anUnknownOrForgedOpaqueToken_isInactive() {
        AccessToken real = token();
        char tenth = real.getValue().charAt(10);
        String forged = real.getValue().substring(0, 10) + (tenth == 'A' ? 'B' : 'A') + real.getValue().substring(11);

        assertThat(introspect(new BearerAccessToken(forged)).isActive()).isFalse();
        assertThat(introspect(new BearerAccessToken("gh_at_")).isActive()).isFalse();
        assertThat(server.idp.verify(forged)).isEmpty();
    }

    private static AccessToken token() {
        try {
            TokenResponse response = TokenResponse.parse(new TokenRequest(server.tokenEndpoint("acme"), basic(),
                    new ClientCredentialsGrant(), new Scope(acme.read)).toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).as(String.valueOf(response.toHTTPResponse().getBody())).isTrue();
            return response.toSuccessResponse().getTokens().getAccessToken();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static TokenIntrospectionSuccessResponse introspect(AccessToken token) {
        try {
            TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                    URI.create(endpoints.introspectionEndpoint()), basic(), token).toHTTPRequest().send());
            assertThat(response.indicatesSuccess()).isTrue();
            return response.toSuccessResponse();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ClientSecretBasic basic() {
        return new ClientSecretBasic(new ClientID(service.client().clientId()), new Secret(service.clientSecret()));
    }
}
