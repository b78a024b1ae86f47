package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientCredentialsGrantTest {

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
    void nimbusClient_getsATokenWhoseSubjectIsTheClient() throws Exception {
        AccessTokenResponse response = clientCredentials(acme.service, new Scope(acme.read, acme.write));

        JWTClaimsSet claims = SignedJWT.parse(response.getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        String clientId = acme.service.client().clientId();
        assertThat(claims.getSubject()).isEqualTo(clientId);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("azp")).isEqualTo(clientId);
        assertThat(claims.getAudience()).containsExactly(clientId, acme.ordersApi);
        assertThat(claims.getStringClaim("scope")).isEqualTo(acme.read + " " + acme.write);
        assertThat(claims.getClaims()).doesNotContainKey("username");
    }

    @Test
    void grantedScopes_areTheClientsAuthorizedOnesWithNoUserRolesInvolved() throws Exception {
        AccessTokenResponse response = clientCredentials(acme.app, new Scope(acme.write, acme.stockRead));

        assertThat(response.getTokens().getAccessToken().getScope().toStringList())
                .containsExactlyInAnyOrder(acme.write, acme.stockRead);
    }

    @Test
    void scopesTheClientIsNotAuthorizedFor_areDropped() throws Exception {
        String query = "grant_type=client_credentials&scope="
                + URLEncoder.encode(acme.read + " " + acme.stockRead, StandardCharsets.UTF_8);

        HttpResponse<String> response = server.post(server.tokenEndpoint("acme"), query, "",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", Acme.basic(acme.service));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(IdpServer.json(response)).containsEntry("scope", acme.read);
    }

    @Test
    void clientRegisteredWithoutLifetime_getsTheDefaultLifetime() throws Exception {
        AccessTokenResponse response = clientCredentials(acme.service, new Scope(acme.read));

        JWTClaimsSet claims = SignedJWT.parse(response.getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(response.getTokens().getAccessToken().getLifetime()).isEqualTo(3600);
        assertThat(claims.getExpirationTime().toInstant())
                .isEqualTo(claims.getIssueTime().toInstant().plus(IdpConfig.DEFAULT_ACCESS_TOKEN_LIFETIME));
    }

    private static AccessTokenResponse clientCredentials(RegisteredClient client, Scope scope) throws Exception {
        TokenRequest request = new TokenRequest(server.tokenEndpoint("acme"),
                new ClientSecretBasic(new ClientID(client.client().clientId()), new Secret(client.clientSecret())),
                new ClientCredentialsGrant(), scope);
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess())
                .as(() -> "token error: " + response.toErrorResponse().getErrorObject())
                .isTrue();
        return response.toSuccessResponse();
    }
}
