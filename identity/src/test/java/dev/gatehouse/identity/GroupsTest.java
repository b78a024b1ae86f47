package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import dev.gatehouse.model.identity.Group;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Groups of the built-in identity provider: a member's tokens may carry the scopes of the group's roles, and the
 * ID token and userinfo name the user's groups.
 */
class GroupsTest {

    private static final String CALLBACK = "http://localhost:3000/callback";

    private static IdpServer server;
    private static Acme acme;
    private static RegisteredClient spa;
    private static Endpoints endpoints;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "groupco");
        spa = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("SPA",
                Set.of("authorization_code"), Set.of(acme.read, acme.write), false, null, List.of(CALLBACK))));
        server.write(tx -> {
            for (String name : List.of("warehouse", "night-shift")) {
                Group group = tx.groups().create(acme.org.id(), name);
                tx.groups().setMembers(group, Set.of("alice"));
            }
            tx.groups().setRoles(tx.groups().find(acme.org.id(), "warehouse").orElseThrow(), Set.of("writer"));
            return null;
        });
        endpoints = server.idp.endpoints("groupco");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aMember_isGrantedTheScopesOfTheGroupsRoles_besidesThoseOfTheirOwn() {
        Map<String, Object> alice = passwordGrant("alice", acme.read + " " + acme.write);

        assertThat(alice.get("scope").toString().split(" ")).containsExactlyInAnyOrder(acme.read, acme.write);
    }

    @Test
    void aDeletedGroup_takesItsScopesAwayAtTheNextToken() {
        server.write(tx -> {
            server.idp.createUser(tx, acme.org.id(), "carol", Acme.PASSWORD, Set.of());
            Group group = tx.groups().create(acme.org.id(), "temporary");
            tx.groups().setMembers(group, Set.of("carol"));
            tx.groups().setRoles(group, Set.of("reader"));
            return null;
        });
        assertThat(passwordGrant("carol", acme.read).get("scope")).isEqualTo(acme.read);

        server.write(tx -> tx.groups().delete(acme.org.id(), "temporary"));

        assertThat((String) passwordGrant("carol", acme.read).get("scope")).isNullOrEmpty();
    }

    @Test
    void theIdTokenAndUserinfo_nameTheUsersGroups() throws Exception {
        OIDCTokenResponse tokens = signIn("alice", new Scope("openid", acme.write));

        JWTClaimsSet claims = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(claims.getStringListClaim("groups")).containsExactly("night-shift", "warehouse");
        assertThat(tokens.getOIDCTokens().getAccessToken().getScope()).isEqualTo(new Scope("openid", acme.write));
        UserInfoResponse response = UserInfoResponse.parse(new UserInfoRequest(
                URI.create(endpoints.userInfoEndpoint()), tokens.getOIDCTokens().getBearerAccessToken())
                .toHTTPRequest().send());
        UserInfo info = response.toSuccessResponse().getUserInfo();
        assertThat(info.getStringListClaim("groups")).containsExactly("night-shift", "warehouse");
    }

    @Test
    void aUserInNoGroup_hasNoGroupsClaim() throws Exception {
        server.write(tx -> server.idp.createUser(tx, acme.org.id(), "loner", Acme.PASSWORD, Set.of()));

        OIDCTokenResponse tokens = signIn("loner", new Scope("openid"));

        assertThat(tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getClaims()).doesNotContainKey("groups");
    }

    private static Map<String, Object> passwordGrant(String username, String scope) {
        HttpResponse<String> response = server.post(server.tokenEndpoint("groupco"), "",
                "grant_type=password&username=" + username + "&password="
                        + URLEncoder.encode(Acme.PASSWORD, StandardCharsets.UTF_8)
                        + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", Acme.basic(acme.app));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return IdpServer.json(response);
    }

    private static OIDCTokenResponse signIn(String username, Scope scope) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        ClientID clientId = new ClientID(spa.client().clientId());
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, scope, clientId, URI.create(CALLBACK))
                .state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(URI.create(endpoints.authorizationEndpoint())).build().toURI();
        Browser browser = new Browser();
        HttpResponse<String> page = browser.submit(browser.get(authorize),
                Map.of("username", username, "password", Acme.PASSWORD));
        if (page.statusCode() == 200) {
            page = browser.submit(page, Map.of("action", "allow"));
        }
        AuthorizationResponse response = AuthorizationResponse.parse(
                URI.create(page.headers().firstValue("Location").orElseThrow()));
        HTTPResponse http = new TokenRequest(server.tokenEndpoint("groupco"), clientId,
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), URI.create(CALLBACK),
                        verifier)).toHTTPRequest().send();
        return (OIDCTokenResponse) OIDCTokenResponseParser.parse(http).toSuccessResponse();
    }
}
