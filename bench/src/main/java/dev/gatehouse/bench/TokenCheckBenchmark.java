package dev.gatehouse.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.gateway.security.KeySetSource;
import dev.gatehouse.gateway.security.TokenCheck;
import dev.gatehouse.gateway.security.TokenVerifier;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's token check: a token seen before (answered from the verified-token cache) and a token seen for the
 * first time (parse and RS256 signature check). Keys come from memory, so no I/O is measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TokenCheckBenchmark {

    private final RSAKey key = BenchWorld.newKey();
    private final KeySetSource keys = new FixedKeys(new JWKSet(key.toPublicJWK()));
    private final TrustedIssuer issuer = BenchWorld.issuer("https://idp.bench.test/jwks");
    private final Map<String, TrustedIssuer> trusted = Map.of(issuer.issuer(), issuer);

    private TokenVerifier warmVerifier;
    private String token;
    private TokenVerifier coldVerifier;

    @Setup(Level.Trial)
    public void seeTheTokenOnce() {
        token = BenchWorld.token(key, Clock.systemUTC().instant(), Duration.ofHours(1), "bench");
        warmVerifier = verifier();
        warmVerifier.verify(token, BenchWorld.ORG, trusted);
    }

    /** A verifier with an empty cache per call: a signature check costs tens of microseconds, this far less. */
    @Setup(Level.Invocation)
    public void forgetVerifiedTokens() {
        coldVerifier = verifier();
    }

    @Benchmark
    public TokenCheck tokenSeenBefore() {
        return warmVerifier.verify(token, BenchWorld.ORG, trusted).result();
    }

    @Benchmark
    public TokenCheck tokenSeenFirst() {
        return coldVerifier.verify(token, BenchWorld.ORG, trusted).result();
    }

    private TokenVerifier verifier() {
        return new TokenVerifier(keys, Clock.systemUTC(), TokenVerifier.SUPPORTED_ALGORITHMS, Duration.ofSeconds(60));
    }

    private record FixedKeys(JWKSet keySet) implements KeySetSource {

        @Override
        public Future<JWKSet> keys(String jwksUri) {
            return Future.succeededFuture(keySet);
        }

        @Override
        public Future<JWKSet> refreshed(String jwksUri) {
            return Future.succeededFuture(keySet);
        }
    }
}
