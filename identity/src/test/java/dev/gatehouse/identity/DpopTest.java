package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DPoP (RFC 9449) at the built-in provider, with proofs made by the Nimbus SDK's client classes. */
class DpopTest {

    private static IdpServer server;
    private static Acme acme;
    private static URI tokenEndpoint;
    /** Confidential; client_credentials; must send DPoP proofs. */
    private static RegisteredClient dpopOnly;
    /** Public; password and refresh_token. */
    private static RegisteredClient mobile;
    /** Public; authorization_code. */
    private static RegisteredClient spa;
    private static final String CALLBACK = "http://localhost:3000/callback";
    private static ECKey key;
    private static ECKey otherKey;
    private static DefaultDPoPProofFactory proofs;
    private static DefaultDPoPProofFactory otherProofs;

    @BeforeAll
    static void start() throws Exception {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        tokenEndpoint = server.tokenEndpoint("acme");
        dpopOnly = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Bound",
                Set.of("client_credentials"), Set.of(acme.read), true, null, List.of(), true)));
        mobile = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Mobile",
                Set.of("password", "refresh_token"), Set.of(acme.read), false, null)));
        spa = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("SPA",
                Set.of("authorization_code"), Set.of(acme.read), false, null, List.of(CALLBACK))));
        key = new ECKeyGenerator(Curve.P_256).generate();
        otherKey = new ECKeyGenerator(Curve.P_256).generate();
        proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        otherProofs = new DefaultDPoPProofFactory(otherKey, JWSAlgorithm.ES256);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tokenRequestWithProof_getsADPoPTokenBoundToTheProofsKey() throws Exception {
        TokenResponse response = send(clientCredentials(acme.service), proofs.createDPoPJWT("POST", tokenEndpoint));

        assertThat(response.indicatesSuccess()).as(() -> error(response)).isTrue();
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(token).isInstanceOf(DPoPAccessToken.class);
        assertThat(token.getType()).isEqualTo(AccessTokenType.DPOP);
        JWTClaimsSet claims = SignedJWT.parse(token.getValue()).getJWTClaimsSet();
        assertThat(claims.getJSONObjectClaim("cnf")).isEqualTo(Map.of("jkt", key.computeThumbprint().toString()));
        assertThat(JWKThumbprintConfirmation.parse(claims)).isEqualTo(JWKThumbprintConfirmation.of(key));
    }

    @Test
    void tokenRequestWithoutProof_staysABearerTokenWithoutCnf() throws Exception {
        TokenResponse response = send(clientCredentials(acme.service), null);

        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(token.getType()).isEqualTo(AccessTokenType.BEARER);
        assertThat(SignedJWT.parse(token.getValue()).getJWTClaimsSet().getClaims()).doesNotContainKey("cnf");
    }

    @Test
    void proofForAnotherMethod_isInvalidDpopProof() throws Exception {
        assertInvalidProof(send(clientCredentials(acme.service), proofs.createDPoPJWT("GET", tokenEndpoint)), "htm");
    }

    @Test
    void proofForAnotherUrl_isInvalidDpopProof() throws Exception {
        SignedJWT proof = proofs.createDPoPJWT("POST", URI.create(server.baseUrl + "/t/other/oauth2/token"));

        assertInvalidProof(send(clientCredentials(acme.service), proof), "htu");
    }

    @Test
    void staleProof_isInvalidDpopProof() throws Exception {
        SignedJWT proof = proofs.createDPoPJWT(new JWTID(), "POST", tokenEndpoint,
                new Date(System.currentTimeMillis() - 120_000), null);

        assertInvalidProof(send(clientCredentials(acme.service), proof), "iat too old");
    }

    @Test
    void replayedProof_isInvalidDpopProof() throws Exception {
        SignedJWT proof = proofs.createDPoPJWT("POST", tokenEndpoint);
        assertThat(send(clientCredentials(acme.service), proof).indicatesSuccess()).isTrue();

        assertInvalidProof(send(clientCredentials(acme.service), proof), "jti was already used");
    }

    @Test
    void proofSignedWithHmac_isInvalidDpopProof() throws Exception {
        SignedJWT proof = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("dpop+jwt")).build(), proofClaims());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        proof.sign(new MACSigner(secret));

        assertInvalidProof(sendRaw(clientCredentials(acme.service), proof.serialize()), "HS256");
    }

    @Test
    void unsignedProof_isInvalidDpopProof() throws Exception {
        String proof = new PlainJWT(new com.nimbusds.jose.PlainHeader.Builder()
                .type(new JOSEObjectType("dpop+jwt")).build(), proofClaims()).serialize();

        assertInvalidProof(sendRaw(clientCredentials(acme.service), proof), "not a signed JWT");
    }

    @Test
    void proofCarryingAPrivateKey_isInvalidDpopProof() throws Exception {
        Map<String, Object> header = Map.of("typ", "dpop+jwt", "alg", "ES256", "jwk", key.toJSONObject());
        String signingInput = Base64URL.encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(header)) + "."
                + Base64URL.encode(proofClaims().toString());
        Base64URL signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
                signingInput.getBytes(StandardCharsets.US_ASCII));

        HTTPResponse response = sendRaw(clientCredentials(acme.service), signingInput + "." + signature).toHTTPResponse();

        assertInvalidProof(TokenResponse.parse(response), "");
        assertThat(response.getBody()).doesNotContain(key.getD().toString());
    }

    @Test
    void clientThatRequiresDpop_withoutProof_isInvalidRequest() throws Exception {
        TokenResponse refused = send(clientCredentials(dpopOnly), null);

        assertThat(refused.indicatesSuccess()).isFalse();
        assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request");
        assertThat(refused.toErrorResponse().getErrorObject().getDescription())
                .isEqualTo("this client must send a DPoP proof: its access tokens are DPoP-bound");
        TokenResponse bound = send(clientCredentials(dpopOnly), proofs.createDPoPJWT("POST", tokenEndpoint));
        assertThat(bound.toSuccessResponse().getTokens().getAccessToken().getType()).isEqualTo(AccessTokenType.DPOP);
    }

    @Test
    void publicClientsBoundRefreshToken_needsAProofOfTheSameKey() throws Exception {
        Tokens first = send(password(), proofs.createDPoPJWT("POST", tokenEndpoint)).toSuccessResponse().getTokens();
        RefreshToken refresh = first.getRefreshToken();

        assertInvalidGrant(send(request(mobile, new RefreshTokenGrant(refresh)), null));
        assertInvalidGrant(send(request(mobile, new RefreshTokenGrant(refresh)),
                otherProofs.createDPoPJWT("POST", tokenEndpoint)));
        TokenResponse rotated = send(request(mobile, new RefreshTokenGrant(refresh)),
                proofs.createDPoPJWT("POST", tokenEndpoint));

        assertThat(rotated.indicatesSuccess()).as(() -> error(rotated)).isTrue();
        Tokens next = rotated.toSuccessResponse().getTokens();
        assertThat(next.getAccessToken().getType()).isEqualTo(AccessTokenType.DPOP);
        assertInvalidGrant(send(request(mobile, new RefreshTokenGrant(next.getRefreshToken())),
                otherProofs.createDPoPJWT("POST", tokenEndpoint)));
    }

    @Test
    void introspectionOfABoundToken_saysDpopAndItsThumbprint() throws Exception {
        AccessToken token = send(clientCredentials(acme.service), proofs.createDPoPJWT("POST", tokenEndpoint))
                .toSuccessResponse().getTokens().getAccessToken();

        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                URI.create(server.idp.endpoints("acme").introspectionEndpoint()), basic(acme.service), token)
                .toHTTPRequest().send());

        TokenIntrospectionSuccessResponse status = response.toSuccessResponse();
        assertThat(status.isActive()).isTrue();
        assertThat(status.getTokenType()).isEqualTo(AccessTokenType.DPOP);
        assertThat(status.getJWKThumbprintConfirmation()).isEqualTo(JWKThumbprintConfirmation.of(key));
    }

    @Test
    void metadata_listsTheProofAlgorithms() {
        for (String url : List.of(server.idp.endpoints("acme").discoveryUrl(),
                server.baseUrl + "/.well-known/oauth-authorization-server/t/acme/oauth2/token")) {
            assertThat(IdpServer.json(server.get(url)))
                    .containsEntry("dpop_signing_alg_values_supported", List.of("RS256", "PS256", "ES256"));
        }
    }

    @Test
    void userinfo_takesABoundTokenWithAProof_andRefusesItAsBearer() throws Exception {
        AccessToken token = signIn(proofs.createDPoPJWT("POST", tokenEndpoint)).getTokens().getAccessToken();
        assertThat(token.getType()).isEqualTo(AccessTokenType.DPOP);
        URI userInfo = URI.create(server.idp.endpoints("acme").userInfoEndpoint());

        HttpResponse<String> ok = server.send(userInfo.toString(), "Authorization", "DPoP " + token.getValue(),
                "DPoP", proofs.createDPoPJWT("GET", userInfo, token).serialize());
        HttpResponse<String> asBearer = server.send(userInfo.toString(), "Authorization", "Bearer " + token.getValue());
        HttpResponse<String> wrongMethod = server.send(userInfo.toString(), "Authorization", "DPoP " + token.getValue(),
                "DPoP", proofs.createDPoPJWT("POST", userInfo, token).serialize());
        HttpResponse<String> otherKeyProof = server.send(userInfo.toString(), "Authorization",
                "DPoP " + token.getValue(), "DPoP", otherProofs.createDPoPJWT("GET", userInfo, token).serialize());

        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(IdpServer.json(ok)).containsEntry("sub", acme.alice.id());
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("DPoP ").contains("error=\"invalid_token\"").contains("algs=\"RS256 PS256 ES256\"");
        assertThat(wrongMethod.statusCode()).isEqualTo(401);
        assertThat(wrongMethod.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_dpop_proof\"");
        assertThat(otherKeyProof.statusCode()).isEqualTo(401);
        assertThat(otherKeyProof.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_dpop_proof\"").contains("thumbprint");
    }

    /** The code flow as alice, with the proof on the code's redemption. */
    private static com.nimbusds.oauth2.sdk.AccessTokenResponse signIn(SignedJWT proof) throws Exception {
        com.nimbusds.oauth2.sdk.pkce.CodeVerifier verifier = new com.nimbusds.oauth2.sdk.pkce.CodeVerifier();
        URI authorize = new com.nimbusds.openid.connect.sdk.AuthenticationRequest.Builder(
                com.nimbusds.oauth2.sdk.ResponseType.CODE, new Scope("openid", acme.read),
                new ClientID(spa.client().clientId()), URI.create(CALLBACK))
                .state(new com.nimbusds.oauth2.sdk.id.State())
                .codeChallenge(verifier, com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256)
                .endpointURI(URI.create(server.idp.endpoints("acme").authorizationEndpoint()))
                .build().toURI();
        Browser browser = new Browser();
        HttpResponse<String> page = browser.submit(browser.get(authorize),
                Map.of("username", "alice", "password", Acme.PASSWORD));
        if (page.statusCode() == 200) {
            page = browser.submit(page, Map.of("action", "allow"));
        }
        com.nimbusds.oauth2.sdk.AuthorizationResponse response = com.nimbusds.oauth2.sdk.AuthorizationResponse.parse(
                URI.create(page.headers().firstValue("Location").orElseThrow()));
        TokenResponse tokens = send(request(spa, new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(
                response.toSuccessResponse().getAuthorizationCode(), URI.create(CALLBACK), verifier)), proof);
        assertThat(tokens.indicatesSuccess()).as(() -> error(tokens)).isTrue();
        return tokens.toSuccessResponse();
    }

    private static JWTClaimsSet proofClaims() {
        return new JWTClaimsSet.Builder().jwtID(new JWTID().getValue()).claim("htm", "POST")
                .claim("htu", tokenEndpoint.toString()).issueTime(new Date()).build();
    }

    private static TokenRequest clientCredentials(RegisteredClient client) {
        return new TokenRequest(tokenEndpoint, basic(client), new ClientCredentialsGrant(), new Scope(acme.read));
    }

    private static TokenRequest password() {
        return new TokenRequest(tokenEndpoint, new ClientID(mobile.client().clientId()),
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret(Acme.PASSWORD)), new Scope(acme.read));
    }

    private static TokenRequest request(RegisteredClient publicClient, AuthorizationGrant grant) {
        return new TokenRequest(tokenEndpoint, new ClientID(publicClient.client().clientId()), grant, null);
    }

    private static ClientAuthentication basic(RegisteredClient client) {
        return new ClientSecretBasic(new ClientID(client.client().clientId()), new Secret(client.clientSecret()));
    }

    private static TokenResponse send(TokenRequest request, SignedJWT proof) throws Exception {
        HTTPRequest http = request.toHTTPRequest();
        if (proof != null) {
            http.setDPoP(proof);
        }
        return TokenResponse.parse(http.send());
    }

    private static TokenResponse sendRaw(TokenRequest request, String proof) throws Exception {
        HTTPRequest http = request.toHTTPRequest();
        http.setHeader("DPoP", proof);
        return TokenResponse.parse(http.send());
    }

    private static void assertInvalidProof(TokenResponse response, String reason) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");
        assertThat(response.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(400);
        assertThat(response.toErrorResponse().getErrorObject().getDescription()).contains(reason);
    }

    private static void assertInvalidGrant(TokenResponse response) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(response.toErrorResponse().getErrorObject().getDescription())
                .isEqualTo("refresh token is invalid, expired or revoked");
    }

    private static String error(TokenResponse response) {
        return response.indicatesSuccess() ? "" : response.toErrorResponse().getErrorObject().toJSONObject().toString();
    }
}
