package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8693 token exchange, driven by the Nimbus OAuth SDK's client classes: a service called with a user's token
 * gets one for another API on the user's behalf, within what the user and the service may have.
 */
class TokenExchangeTest {

    private static IdpServer server;
    private static Acme acme;
    private static Acme globex;
    /** A confidential service that may exchange tokens, authorized for stock read and orders write. */
    private static RegisteredClient exchanger;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        globex = new Acme(server, "globex");
        exchanger = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Exchanger",
                Set.of(ClientRegistration.TOKEN_EXCHANGE), Set.of(acme.stockRead, acme.write), true,
                Duration.ofMinutes(5))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenResponse send(Acme org, RegisteredClient client, AuthorizationGrant grant, Scope scope) {
        try {
            return TokenResponse.parse(new TokenRequest(server.tokenEndpoint(org.handle),
                    new ClientSecretBasic(new ClientID(client.client().clientId()), new Secret(client.clientSecret())),
                    grant, scope).toHTTPRequest().send());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String aliceToken(Acme org) {
        return send(org, org.app, new ResourceOwnerPasswordCredentialsGrant("alice", new Secret(Acme.PASSWORD)),
                new Scope(org.read)).toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    private static TokenResponse exchange(String subjectToken, List<Audience> audience, Scope scope) {
        return send(acme, exchanger, new TokenExchangeGrant(new TypelessAccessToken(subjectToken),
                TokenTypeURI.ACCESS_TOKEN, null, null, null, audience), scope);
    }

    private static String error(TokenResponse response) {
        TokenErrorResponse refused = response.toErrorResponse();
        return refused.getErrorObject().getHTTPStatusCode() + " " + refused.getErrorObject().getCode();
    }

    @Test
    void aServiceExchangesAUsersToken_forAnotherApi_onTheUsersBehalf() throws Exception {
        String alice = aliceToken(acme);

        AccessTokenResponse exchanged = exchange(alice, List.of(new Audience(acme.stockApi)), null)
                .toSuccessResponse();

        BearerAccessToken token = exchanged.getTokens().getBearerAccessToken();
        assertThat(token.getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
        assertThat(exchanged.getTokens().getRefreshToken()).isNull();
        JWTClaimsSet claims = server.idp.verify(token.getValue()).orElseThrow().claims();
        assertThat(claims.getSubject()).isEqualTo(acme.alice.id());
        assertThat(claims.getStringClaim("scope")).isEqualTo(acme.stockRead);
        assertThat(claims.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", exchanger.client().clientId()));
        assertThat(claims.getAudience()).contains(acme.stockApi);
    }

    @Test
    void theNewToken_holdsNothingTheUserMayNotHave() throws Exception {
        AccessTokenResponse exchanged = exchange(aliceToken(acme), List.of(), new Scope(acme.write, acme.stockRead))
                .toSuccessResponse();

        String scope = server.idp.verify(exchanged.getTokens().getAccessToken().getValue()).orElseThrow().claims()
                .getStringClaim("scope");
        assertThat(scope).as("alice's roles do not allow orders write").isEqualTo(acme.stockRead);
    }

    @Test
    void aServicesOwnToken_isNarrowedToWhatItCarried() throws Exception {
        String serviceToken = send(acme, acme.service, new ClientCredentialsGrant(), new Scope(acme.write))
                .toSuccessResponse().getTokens().getAccessToken().getValue();

        JWTClaimsSet claims = server.idp.verify(exchange(serviceToken, List.of(),
                new Scope(acme.write, acme.stockRead)).toSuccessResponse().getTokens().getAccessToken().getValue())
                .orElseThrow().claims();

        assertThat(claims.getSubject()).isEqualTo(acme.service.client().clientId());
        assertThat(claims.getStringClaim("scope")).isEqualTo(acme.write);
    }

    @Test
    void refusals_followRfc8693() throws Exception {
        String alice = aliceToken(acme);

        assertThat(error(exchange(alice, List.of(new Audience("https://api.acme.test/unknown")), null)))
                .isEqualTo("400 invalid_target");
        assertThat(error(exchange("not-a-token", List.of(), null))).isEqualTo("400 invalid_grant");
        assertThat(error(exchange(aliceToken(globex), List.of(), null))).as("another organization's token")
                .isEqualTo("400 invalid_grant");
        assertThat(error(send(acme, acme.service, new TokenExchangeGrant(new TypelessAccessToken(alice),
                TokenTypeURI.ACCESS_TOKEN), null))).as("a client not registered for the grant")
                .isEqualTo("400 unauthorized_client");
        assertThat(error(send(acme, exchanger, new TokenExchangeGrant(new TypelessAccessToken(alice),
                TokenTypeURI.ID_TOKEN), null))).isEqualTo("400 invalid_request");

        String revoked = aliceToken(acme);
        JWTClaimsSet claims = server.idp.verify(revoked).orElseThrow().claims();
        server.write(tx -> {
            tx.revokedAccessTokens().revoke(acme.org.id(), claims.getJWTID(), claims.getExpirationTime().toInstant());
            return null;
        });
        assertThat(error(exchange(revoked, List.of(), null))).as("a revoked token").isEqualTo("400 invalid_grant");
    }
}
