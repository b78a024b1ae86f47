package dev.gatehouse.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.RateLimit;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * What every benchmark runs against: organization {@code bench} with one API, {@code /bench/bench/v1}, whose
 * resource {@code GET /hello} requires the scope {@link #SCOPE}; one trusted issuer; one production application
 * subscribed to the API; an RS256 key and tokens signed with it.
 */
final class BenchWorld {

    static final String ORG = "bench";
    static final String ISSUER = "https://idp.bench.test";
    static final String CLIENT_ID = "bench-client";
    static final String SCOPE = "urn:bench:bench:read";
    static final String PATH = "/bench/bench/v1/hello";

    /**
     * The subscription's tier: counted on every call, as a real tier is, but far above what one machine can send,
     * so that the load measures the cost of counting and never a refusal.
     */
    static final RateLimit BENCH_TIER = RateLimit.of("Bench", 1_000_000_000L, Duration.ofMinutes(1));

    private BenchWorld() {
    }

    static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("bench-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static TrustedIssuer issuer(String jwksUri) {
        return new TrustedIssuer("bench-idp", ORG, ISSUER, jwksUri, ClaimMapping.DEFAULT, null);
    }

    static GatewaySnapshot snapshot(String jwksUri, String backendUrl) {
        RoutedApi api = new RoutedApi("bench-api", ORG, "Bench", "/bench", "v1", backendUrl, Lifecycle.PUBLISHED,
                List.of(new RouteResource("GET", "/hello", Set.of(SCOPE))), false, Set.of());
        return new GatewaySnapshot(1, Environment.PRODUCTION, List.of(api), List.of(issuer(jwksUri)),
                List.of(new ClientBinding("bench-idp", CLIENT_ID, "bench-app", KeyType.PRODUCTION)),
                List.of(new SubscriptionGrant("bench-app", "bench-api", "Bench", true, BENCH_TIER)));
    }

    /** An RS256 token for the bench application with the required scope, valid for {@code lifetime}. */
    static String token(RSAKey key, Instant now, Duration lifetime, String jwtId) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("bench-user")
                .claim("azp", CLIENT_ID)
                .claim("scope", SCOPE)
                .jwtID(jwtId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
