package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import dev.gatehouse.model.Environment;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DPoP-bound access tokens (RFC 9449) end to end: issued by the built-in identity provider to a client that sends a
 * proof (made by the Nimbus SDK's client classes), then enforced by the production gateway, call by call.
 */
class DpopGatewayTest {

    private static final String ORDERS = "/acme/orders/v1/orders";
    private static final String DPOP_REFUSALS = "gatehouse_gateway_refusals_total{check=\"dpop\","
            + "environment=\"production\",reason=\"invalid_dpop_proof\"}";

    private static TestGatehouse gh;
    private static ECKey key;
    private static DefaultDPoPProofFactory proofs;
    private static DPoPAccessToken bound;
    private static String unbound;
    private static URI orders;

    @BeforeAll
    static void start() throws Exception {
        gh = TestGatehouse.start();
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys keys = gh.demoApplication(alice, "dpop app", "production", true);
        key = new ECKeyGenerator(Curve.P_256).generate();
        proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        URI tokenEndpoint = URI.create(gh.tokenEndpoint("acme"));
        HTTPRequest request = new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID(keys.clientId()),
                new Secret(keys.secret())), new ClientCredentialsGrant(), new Scope("urn:acme:orders:read"))
                .toHTTPRequest();
        request.setDPoP(proofs.createDPoPJWT("POST", tokenEndpoint));
        AccessToken token = TokenResponse.parse(request.send()).toSuccessResponse().getTokens().getAccessToken();
        assertThat(token.getType()).isEqualTo(AccessTokenType.DPOP);
        bound = (DPoPAccessToken) token;
        unbound = gh.ordersReadToken(keys);
        orders = URI.create(gh.gateway(Environment.PRODUCTION, ORDERS));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> call("GET", orders, "Bearer " + unbound, null).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    @Test
    void behindALoadBalancerEndingTls_proofsNameThePublicUrl() throws Exception {
        try (TestGatehouse behind = TestGatehouse.startBehindLoadBalancer("https://api.example.test")) {
            TestGatehouse.Keys keys = behind.demoApplication(behind.loginDemo(DemoData.SUBSCRIBER), "lb app",
                    "production", true);
            URI tokenEndpoint = URI.create(behind.tokenEndpoint("acme"));
            HTTPRequest request = new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID(keys.clientId()),
                    new Secret(keys.secret())), new ClientCredentialsGrant(), new Scope("urn:acme:orders:read"))
                    .toHTTPRequest();
            request.setDPoP(proofs.createDPoPJWT("POST", tokenEndpoint));
            AccessToken token = TokenResponse.parse(request.send()).toSuccessResponse().getTokens().getAccessToken();
            URI direct = URI.create(behind.gateway(Environment.PRODUCTION, ORDERS));
            URI published = URI.create("https://api.example.test" + ORDERS);

            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25)).until(() ->
                    call("GET", direct, "DPoP " + token.getValue(), proof("GET", published, token)).statusCode() == 200);
            HttpResponse<String> asSeen = call("GET", direct, "DPoP " + token.getValue(), proof("GET", direct, token));
            assertThat(asSeen.statusCode()).isEqualTo(401);
            assertThat(asSeen.body()).contains("the DPoP proof's htu is not the request's URL");
        }
    }

    @Test
    void aManagementTokenBoundToAKey_isRefusedByTheManagementApi_andARevokedOneToo() throws Exception {
        URI tokenEndpoint = URI.create(gh.tokenEndpoint("acme"));
        HTTPRequest request = new TokenRequest(tokenEndpoint, new ClientID("gatehouse-cli"),
                new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant(DemoData.PUBLISHER,
                        new Secret(DemoData.password(DemoData.PUBLISHER))), null).toHTTPRequest();
        request.setDPoP(proofs.createDPoPJWT("POST", tokenEndpoint));
        AccessToken boundManagement = TokenResponse.parse(request.send()).toSuccessResponse().getTokens()
                .getAccessToken();
        assertThat(boundManagement.getType()).isEqualTo(AccessTokenType.DPOP);

        Http.Response asBearer = gh.http.get(gh.api("/me"), boundManagement.getValue());
        assertThat(asBearer.status()).isEqualTo(401);
        assertThat(asBearer.json().getString("detail")).contains("bound to a key (DPoP)");

        String plain = gh.loginDemo(DemoData.PUBLISHER);
        assertThat(gh.http.get(gh.api("/me"), plain).status()).isEqualTo(200);
        assertThat(gh.http.form(gh.url("/t/acme/oauth2/revoke"), java.util.Map.of("token", plain,
                "client_id", "gatehouse-cli"), null, null).status()).isEqualTo(200);
        Http.Response revoked = gh.http.get(gh.api("/me"), plain);
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().getString("detail")).isEqualTo("the bearer token has been revoked");
    }

    @Test
    void boundTokenWithAProperProof_passes() throws Exception {
        HttpResponse<String> answer = call("GET", orders, "DPoP " + bound.getValue(), proof("GET", orders, bound));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(new JsonObject(answer.body()).getJsonArray("orders")).hasSize(2);
    }

    @Test
    void boundTokenSentAsBearer_isRefusedAsInvalidToken() {
        HttpResponse<String> answer = call("GET", orders, "Bearer " + bound.getValue(), proof("GET", orders, bound));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo(
                "DPoP realm=\"gatehouse\", error=\"invalid_token\", error_description=\"the token is DPoP-bound; send "
                        + "it with the DPoP scheme and a DPoP proof\", algs=\"RS256 PS256 ES256\"");
        JsonObject problem = new JsonObject(answer.body());
        assertThat(problem.getString("check")).isEqualTo("dpop");
        assertThat(problem.getString("type")).isEqualTo("urn:gatehouse:problem:invalid_token");
    }

    @Test
    void proofForAnotherMethod_isRefusedAndCounted() {
        assertProofRefused(proof("POST", orders, bound), "the DPoP proof's htm is not the request's method");
    }

    @Test
    void proofForAnotherUrl_isRefusedAndCounted() {
        URI elsewhere = URI.create(gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders/1"));

        assertProofRefused(proof("GET", elsewhere, bound), "the DPoP proof's htu is not the request's URL");
    }

    @Test
    void proofForAnotherToken_isRefusedAndCounted() {
        assertProofRefused(proof("GET", orders, new DPoPAccessToken(unbound)),
                "the DPoP proof's ath is not the hash of the access token");
    }

    @Test
    void proofSignedWithAnotherKey_isRefusedAndCounted() throws Exception {
        DefaultDPoPProofFactory other = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
                JWSAlgorithm.ES256);

        assertProofRefused(other.createDPoPJWT("GET", orders, bound).serialize(),
                "the DPoP proof is signed with another key than the one the token is bound to");
    }

    @Test
    void replayedProof_isRefusedAndCounted() {
        String proof = proof("GET", orders, bound);
        assertThat(call("GET", orders, "DPoP " + bound.getValue(), proof).statusCode()).isEqualTo(200);

        assertProofRefused(proof, "the DPoP proof was used before (its jti is replayed)");
    }

    @Test
    void boundTokenWithoutProof_isRefused() {
        assertProofRefused(null, "the token is DPoP-bound and the request carries no DPoP proof");
    }

    @Test
    void unboundToken_stillWorksAsBearer_butNotWithTheDpopScheme() {
        assertThat(call("GET", orders, "Bearer " + unbound, null).statusCode()).isEqualTo(200);

        HttpResponse<String> asDpop = call("GET", orders, "DPoP " + unbound,
                proof("GET", orders, new DPoPAccessToken(unbound)));
        assertThat(asDpop.statusCode()).isEqualTo(401);
        assertThat(asDpop.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("DPoP realm=\"gatehouse\", error=\"invalid_token\"");
        assertThat(new JsonObject(asDpop.body()).getString("detail"))
                .isEqualTo("the token is not DPoP-bound (it has no cnf.jkt); send it as a bearer token");
    }

    private void assertProofRefused(String proof, String detail) {
        double before = dpopRefusals();
        HttpResponse<String> answer = call("GET", orders, "DPoP " + bound.getValue(), proof);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo(
                "DPoP realm=\"gatehouse\", error=\"invalid_dpop_proof\", error_description=\"" + detail.replace('"', '?')
                        + "\", algs=\"RS256 PS256 ES256\"");
        JsonObject problem = new JsonObject(answer.body());
        assertThat(problem.getString("type")).isEqualTo("urn:gatehouse:problem:invalid_dpop_proof");
        assertThat(problem.getString("check")).isEqualTo("dpop");
        assertThat(problem.getString("detail")).isEqualTo(detail);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> dpopRefusals() >= before + 1);
    }

    private static String proof(String method, URI uri, AccessToken token) {
        try {
            SignedJWT proof = proofs.createDPoPJWT(method, uri, token);
            return proof.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private double dpopRefusals() {
        String metrics = gh.http.get(gh.url("/metrics"), null).body();
        Matcher count = Pattern.compile(Pattern.quote(DPOP_REFUSALS) + " ([0-9.E]+)").matcher(metrics);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    private static HttpResponse<String> call(String method, URI uri, String authorization, String proof) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", authorization);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
