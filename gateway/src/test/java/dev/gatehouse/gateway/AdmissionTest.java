package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.TestWorld.ACME_ISSUER;
import static dev.gatehouse.gateway.TestWorld.ACME_KEY;
import static dev.gatehouse.gateway.TestWorld.ACME_SCP_ISSUER;
import static dev.gatehouse.gateway.TestWorld.READ;
import static dev.gatehouse.gateway.TestWorld.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.gateway.decision.Decision.Allow;
import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.gateway.decision.Decision;
import dev.gatehouse.gateway.decision.Refusal;
import dev.gatehouse.gateway.security.DpopProofCheck;
import dev.gatehouse.gateway.security.LocalProofReplays;
import dev.gatehouse.gateway.security.KeySetSource;
import dev.gatehouse.gateway.security.TokenVerifier;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.testing.TestClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole decision order on a compiled snapshot, without sockets: keys come from memory. */
class AdmissionTest {

    private static final String ORDERS = "/acme/orders/v1/orders";

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final KeySetSource keys = new KeySetSource() {
        private final JWKSet published = new JWKSet(ACME_KEY.toPublicJWK());

        @Override
        public Future<JWKSet> keys(String jwksUri) {
            return Future.succeededFuture(published);
        }

        @Override
        public Future<JWKSet> refreshed(String jwksUri) {
            return Future.succeededFuture(published);
        }
    };
    private final CompiledSnapshot snapshot = CompiledSnapshot.compile(TestWorld.snapshot(7,
            Environment.PRODUCTION, path -> "https://keys.test" + path, "http://backend", "http://down"), clock);
    private final Admission admission = new Admission(Environment.PRODUCTION,
            new TokenVerifier(keys, clock, TokenVerifier.SUPPORTED_ALGORITHMS, Duration.ofSeconds(30)),
            new DpopProofCheck(new LocalProofReplays(clock)));

    private Decision decide(String method, String path, JWTClaimsSet claims) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (claims != null) {
            headers.add("Authorization", "Bearer " + Tokens.sign(ACME_KEY, claims));
        }
        Future<Decision> decision = admission.decide(snapshot, method, "http", null, path, headers,
                new Exchange(0, "request-1", Correlation.traceparent(null)));
        assertThat(decision.isComplete()).isTrue();
        return decision.result();
    }

    private JWTClaimsSet claims(String clientId, String scope) {
        return Tokens.claims(clock, ACME_ISSUER, clientId, scope).build();
    }

    @Test
    void validCall_isAllowed_forTheRouteAndTheLinkedApplication() {
        Decision decision = decide("GET", ORDERS + "/7", claims("prod-client", READ));

        assertThat(decision).isInstanceOfSatisfying(Allow.class, allow -> {
            assertThat(allow.route().api().apiId()).isEqualTo("api-orders");
            assertThat(allow.route().resourcePath()).isEqualTo("/orders/7");
            assertThat(allow.client().applicationId()).isEqualTo("app-prod");
        });
    }

    @Test
    void routeIsDecidedBeforeTheCredential() {
        assertThat(decide("GET", "/acme/nothing/v1/here", null)).isEqualTo(new Deny(Refusal.NO_ROUTE, Check.ROUTE,
                "no API resource matches GET /acme/nothing/v1/here"));
        assertThat(decide("PUT", ORDERS, null)).isEqualTo(Deny.methodNotAllowed("PUT", Set.of("GET", "HEAD", "POST")));
        assertThat(decide("GET", "/acme/legacy/v1/items", null)).isEqualTo(new Deny(Refusal.API_BLOCKED, Check.ROUTE,
                "API 'Legacy' v1 is blocked"));
    }

    @Test
    void expiredTokenOfAnUnknownClient_failsOnExpiry_first() {
        JWTClaimsSet expired = Tokens.claims(clock, ACME_ISSUER, "nobody", READ)
                .expirationTime(Date.from(clock.instant().minusSeconds(60))).build();

        assertThat(decide("GET", ORDERS, expired)).isEqualTo(new Deny(Refusal.INVALID_TOKEN, Check.CLAIMS,
                "the token expired at 2026-03-01T09:59:00Z"));
    }

    @Test
    void sandboxClientWithoutScope_failsOnKeyType_beforeScope() {
        assertThat(decide("GET", ORDERS, claims("sandbox-client", null))).isEqualTo(new Deny(
                Refusal.WRONG_KEY_TYPE, Check.KEY_TYPE, "sandbox credentials cannot call the production environment"));
    }

    @Test
    void firstPresentClientIdClaim_wins() {
        JWTClaimsSet claims = Tokens.claims(clock, ACME_ISSUER, null, READ)
                .claim("client_id", "prod-client").build();

        assertThat(decide("GET", ORDERS, claims)).isInstanceOf(Allow.class);
    }

    @Test
    void insufficientScope_carriesTheRequiredScopes() {
        assertThat(decide("POST", ORDERS, claims("prod-client", READ)))
                .isEqualTo(Deny.insufficientScope(Set.of(WRITE, TestWorld.ADMIN)));
    }

    @Test
    void scopeArrayWithNonStringEntries_onlyCountsTheStrings() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ACME_SCP_ISSUER)
                .claim("cid", "scp-client")
                .claim("scp", List.of(42, READ))
                .expirationTime(Date.from(clock.instant().plusSeconds(60)))
                .build();

        assertThat(decide("GET", ORDERS, claims)).isInstanceOf(Allow.class);
    }
}
