package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.TestWorld.ACME_AUD_ISSUER;
import static dev.gatehouse.gateway.TestWorld.ACME_ISSUER;
import static dev.gatehouse.gateway.TestWorld.ACME_KEY;
import static dev.gatehouse.gateway.TestWorld.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.Caller;
import dev.gatehouse.gateway.testing.Caller.Response;
import dev.gatehouse.gateway.testing.EchoBackend;
import dev.gatehouse.gateway.testing.EventLoops;
import dev.gatehouse.gateway.testing.JwksServer;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.testing.TestClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token attacks a gateway must withstand, each over a real socket against the production gateway: every one
 * is refused with 401 {@code invalid_token}, names the check that caught it, is counted in the refusal metrics,
 * and never reaches the backend.
 */
class GatewayTokenAttackTest {

    private static final String ORDERS = "/acme/orders/v1/orders";

    private static EventLoops eventLoops;
    private static JwksServer jwks;
    private static EchoBackend backend;
    private static TestClock clock;
    private static Gateway gateway;
    private static Caller caller;
    private static final AtomicLong versions = new AtomicLong();
    private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        eventLoops = EventLoops.watched();
        jwks = JwksServer.start(eventLoops.vertx());
        jwks.publish("/acme", ACME_KEY);
        jwks.publish("/globex", TestWorld.GLOBEX_KEY);
        backend = EchoBackend.start(eventLoops.vertx());
        clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        gateway = new Gateway(eventLoops.vertx(), TestWorld.config(Environment.PRODUCTION), clock, meters);
        caller = new Caller(eventLoops.vertx(), Await.result(gateway.start()));
    }

    @AfterAll
    static void stop() {
        caller.close();
        Await.result(gateway.stop());
        backend.close();
        jwks.close();
        List<String> blocked = eventLoops.blockedThreadWarnings();
        eventLoops.close();
        assertThat(blocked).as("event loops blocked longer than %d ms", EventLoops.MAX_EVENT_LOOP_MILLIS).isEmpty();
    }

    @BeforeEach
    void applyTheSnapshot() {
        gateway.apply(TestWorld.snapshot(versions.incrementAndGet(), Environment.PRODUCTION, jwks::uri,
                backend.url("/svc"), backend.url("/down")));
    }

    private static JWTClaimsSet.Builder claims() {
        return Tokens.claims(clock, ACME_ISSUER, "prod-client", READ);
    }

    private static double refusals(String check) {
        Counter counter = meters.find("gatehouse.gateway.refusals")
                .tags("environment", "production", "reason", "invalid_token", "check", check).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Calls with the token and checks the refusal exactly; the backend must not have been called, and the refusal
     * must be counted by reason and check.
     */
    private static void assertRefused(String token, String check, String detail) {
        int backendCalls = backend.calls();
        double counted = refusals(check);

        Response response = caller.get(ORDERS, token);

        assertThat(response.status()).isEqualTo(401);
        JsonObject problem = response.json();
        assertThat(problem.getString("type")).isEqualTo("urn:gatehouse:problem:invalid_token");
        assertThat(problem.getString("check")).isEqualTo(check);
        assertThat(problem.getString("detail")).isEqualTo(detail);
        assertThat(response.header("WWW-Authenticate")).isEqualTo(
                "Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"" + detail + "\"");
        assertThat(backend.calls()).isEqualTo(backendCalls);
        await().untilAsserted(() -> assertThat(refusals(check)).isEqualTo(counted + 1));
    }

    /** Signs arbitrary header and payload JSON with the issuer's real key, as a forger with a signing oracle. */
    private static String signRaw(String headerJson, String payloadJson) throws Exception {
        String signingInput = Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        Base64URL signature = new RSASSASigner(ACME_KEY).sign(new JWSHeader(JWSAlgorithm.RS256),
                signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + signature;
    }

    private static long inTenMinutes() {
        return clock.instant().plus(Duration.ofMinutes(10)).getEpochSecond();
    }

    @Test
    void theGenuineToken_passes() {
        assertThat(caller.get(ORDERS, Tokens.sign(ACME_KEY, claims().build())).status()).isEqualTo(200);
    }

    @Test
    void algNone_isRefused() {
        assertRefused(new PlainJWT(claims().build()).serialize(), "signature",
                "unsigned tokens (alg none) are not accepted");
    }

    @Test
    void hs256SignedWithTheIssuersRsaPublicKey_isRefused() throws Exception {
        MACSigner signer = new MACSigner(ACME_KEY.toRSAPublicKey().getEncoded());
        String token = Tokens.sign(signer, new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(ACME_KEY.getKeyID())
                .build(), claims().build());

        assertRefused(token, "signature", "the algorithm HS256 is not accepted");
    }

    @Test
    void strippedSignature_isRefused() {
        String genuine = Tokens.sign(ACME_KEY, claims().build());
        String stripped = genuine.substring(0, genuine.lastIndexOf('.') + 1);

        assertRefused(stripped, "credential", "the bearer token is not a well-formed JWT");
    }

    @Test
    void signatureOfAnotherToken_isRefused() {
        String genuine = Tokens.sign(ACME_KEY, claims().build());
        String other = Tokens.sign(ACME_KEY, claims().subject("mallory").build());
        String spliced = genuine.substring(0, genuine.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));

        assertRefused(spliced, "signature", "the signature does not verify");
    }

    @Test
    void wrongKid_isRefused() {
        RSAKey attacker = Tokens.rsaKey("acme-2");

        assertRefused(Tokens.sign(attacker, claims().build()), "signature",
                "the keys of issuer 'https://idp.acme.test' include no RS256 key with kid 'acme-2'");
    }

    @Test
    void knownKidOnAForgedSignature_isRefused() {
        RSAKey impostor = Tokens.rsaKey(ACME_KEY.getKeyID());

        assertRefused(Tokens.sign(impostor, claims().build()), "signature", "the signature does not verify");
    }

    @Test
    void kidWithPathCharacters_isOnlyEverComparedNeverFetched() {
        RSAKey attacker = Tokens.rsaKey("../../../etc/passwd");

        assertRefused(Tokens.sign(attacker, claims().build()), "signature",
                "the keys of issuer 'https://idp.acme.test' include no RS256 key with kid '../../../etc/passwd'");
        assertThat(jwks.fetches("/etc/passwd")).isZero();
    }

    @Test
    void keysOfferedByJkuX5uOrAnEmbeddedJwk_areNeverUsed() {
        RSAKey attacker = Tokens.rsaKey("attacker");
        jwks.publish("/attacker", attacker);
        String token = Tokens.sign(attacker, claims().build(), header -> header
                .keyID(ACME_KEY.getKeyID())
                .jwkURL(URI.create(jwks.uri("/attacker")))
                .x509CertURL(URI.create(jwks.uri("/attacker")))
                .jwk(attacker.toPublicJWK()));

        assertRefused(token, "signature", "the signature does not verify");
        assertThat(jwks.fetches("/attacker")).isZero();
    }

    @Test
    void expiredToken_isRefused() {
        Instant expiry = clock.instant().minus(Duration.ofMinutes(5));

        assertRefused(Tokens.sign(ACME_KEY, claims().expirationTime(Date.from(expiry)).build()), "claims",
                "the token expired at " + expiry);
    }

    @Test
    void tokenNotYetValid_isRefused() {
        Instant notBefore = clock.instant().plus(Duration.ofMinutes(5));

        assertRefused(Tokens.sign(ACME_KEY, claims().notBeforeTime(Date.from(notBefore)).build()), "claims",
                "the token is not valid before " + notBefore);
    }

    @Test
    void wrongIssuer_isRefused() {
        String token = Tokens.sign(ACME_KEY, Tokens.claims(clock, "https://idp.evil.test", "prod-client", READ)
                .build());

        assertRefused(token, "issuer", "the issuer 'https://idp.evil.test' is not trusted by organization 'acme'");
    }

    @Test
    void wrongAudience_isRefused() {
        String token = Tokens.sign(ACME_KEY, Tokens.claims(clock, ACME_AUD_ISSUER, "prod-client", READ)
                .audience("https://api.evil.test").build());

        assertRefused(token, "claims", "the token's audience does not include 'https://api.acme.test'");
    }

    @Test
    void oversizedToken_isRefused_beforeAnyParsing() {
        String token = Tokens.sign(ACME_KEY, claims().claim("padding", "x".repeat(9_000)).build());

        assertRefused(token, "credential", "the bearer token is longer than 8192 characters");
    }

    @Test
    void malformedBase64_isRefused() {
        assertRefused("eyJhbGciOiJSUzI1NiJ9.e30@.c2ln", "credential",
                "the Authorization header does not carry a well-formed bearer token");
        assertRefused("eyJhbGciOiJSUzI1NiJ9.e+30/.c2ln", "credential", "the bearer token is not a well-formed JWT");
    }

    @Test
    void duplicateClaimNames_areRefused() throws Exception {
        String token = signRaw("{\"alg\":\"RS256\",\"kid\":\"acme-1\"}",
                "{\"iss\":\"https://idp.evil.test\",\"iss\":\"" + ACME_ISSUER + "\",\"azp\":\"prod-client\","
                        + "\"scope\":\"" + READ + "\",\"exp\":" + inTenMinutes() + "}");

        assertRefused(token, "credential", "the bearer token is not a well-formed JWT");
    }

    @Test
    void duplicateHeaderParameters_areRefused() throws Exception {
        String token = signRaw("{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"acme-1\"}",
                "{\"iss\":\"" + ACME_ISSUER + "\",\"azp\":\"prod-client\",\"scope\":\"" + READ + "\",\"exp\":"
                        + inTenMinutes() + "}");

        assertRefused(token, "credential", "the bearer token is not a well-formed JWT");
    }

    @Test
    void criticalHeaderTheGatewayDoesNotUnderstand_isRefused() {
        String token = Tokens.sign(ACME_KEY, claims().build(),
                header -> header.customParam("exp-hint", 1).criticalParams(Set.of("exp-hint")));

        assertRefused(token, "signature", "the critical header parameters [exp-hint] are not understood");
    }
}
