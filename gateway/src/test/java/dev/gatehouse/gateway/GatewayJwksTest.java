package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.Caller.Response;
import dev.gatehouse.gateway.testing.Caller;
import dev.gatehouse.gateway.testing.EchoBackend;
import dev.gatehouse.gateway.testing.EventLoops;
import dev.gatehouse.gateway.testing.JwksServer;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import dev.gatehouse.model.testing.TestClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the gateway gets an issuer's keys, over real sockets: a JWKS endpoint under test control counts every fetch,
 * and a fresh gateway per test with a fake clock makes the refresh interval (30 s) pass without sleeping.
 */
class GatewayJwksTest {

    private static final String ISSUER = "https://idp.keys.test";
    private static final String ORDERS = "/acme/orders/v1/orders";
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(30);

    private static EventLoops eventLoops;
    private static Vertx vertx;
    private static JwksServer jwks;
    private static EchoBackend backend;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final RSAKey first = Tokens.rsaKey("first");
    private Gateway gateway;
    private Caller caller;

    @BeforeAll
    static void startServers() {
        eventLoops = EventLoops.watched();
        vertx = eventLoops.vertx();
        jwks = JwksServer.start(vertx);
        backend = EchoBackend.start(vertx);
    }

    @AfterAll
    static void stopServers() {
        backend.close();
        jwks.close();
        List<String> blocked = eventLoops.blockedThreadWarnings();
        eventLoops.close();
        assertThat(blocked).as("event loops blocked longer than %d ms", EventLoops.MAX_EVENT_LOOP_MILLIS).isEmpty();
    }

    @BeforeEach
    void startGateway() {
        gateway = new Gateway(vertx, TestWorld.config(Environment.PRODUCTION), clock, new SimpleMeterRegistry());
        caller = new Caller(vertx, Await.result(gateway.start()));
    }

    @AfterEach
    void stopGateway() {
        caller.close();
        Await.result(gateway.stop());
    }

    private void trustIssuerAt(String jwksUri) {
        gateway.apply(new GatewaySnapshot(1, Environment.PRODUCTION,
                List.of(new RoutedApi("api-orders", "acme", "Orders", "/orders", "v1", backend.url(""),
                        Lifecycle.PUBLISHED, List.of(new RouteResource("GET", "/orders", Set.of())), false, Set.of())),
                List.of(new TrustedIssuer("keys-idp", "acme", ISSUER, jwksUri, ClaimMapping.DEFAULT, null)),
                List.of(new ClientBinding("keys-idp", "client", "app", KeyType.PRODUCTION)),
                List.of(new SubscriptionGrant("app", "api-orders", "Unlimited", true))));
    }

    private String tokenSignedBy(RSAKey key) {
        return Tokens.sign(key, Tokens.claims(clock, ISSUER, "client", null).build());
    }

    private Response call(String token) {
        return caller.get(ORDERS, token);
    }

    private List<Response> callAtOnce(List<String> tokens) {
        List<Future<Response>> calls = new ArrayList<>();
        for (String token : tokens) {
            calls.add(caller.send(HttpMethod.GET, ORDERS,
                    MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token), null));
        }
        return calls.stream().map(Await::result).toList();
    }

    private static String noKeyWithKid(String kid) {
        return "the keys of issuer 'https://idp.keys.test' include no RS256 key with kid '" + kid + "'";
    }

    @Test
    void concurrentFirstCalls_shareOneFetch() {
        jwks.publish("/shared", first);
        trustIssuerAt(jwks.uri("/shared"));
        String token = tokenSignedBy(first);

        List<Response> responses = callAtOnce(List.of(token, token, token, token, token, token, token, token));

        assertThat(responses).extracting(Response::status).containsOnly(200);
        assertThat(jwks.fetches("/shared")).isEqualTo(1);
    }

    @Test
    void tokenWithTheNewKid_isAcceptedAfterTheIssuerRotatesKeys_withoutRestart() {
        jwks.publish("/rotation", first);
        trustIssuerAt(jwks.uri("/rotation"));
        assertThat(call(tokenSignedBy(first)).status()).isEqualTo(200);
        RSAKey second = Tokens.rsaKey("second");

        jwks.publish("/rotation", second);
        clock.advance(REFRESH_INTERVAL);

        assertThat(call(tokenSignedBy(second)).status()).isEqualTo(200);
        assertThat(jwks.fetches("/rotation")).isEqualTo(2);
        Response withdrawnKey = call(tokenSignedBy(first));
        assertThat(withdrawnKey.status()).isEqualTo(401);
        assertThat(withdrawnKey.json().getString("detail")).isEqualTo(noKeyWithKid("first"));
        assertThat(jwks.fetches("/rotation")).isEqualTo(2);
    }

    @Test
    void cachedKeys_keepVerifying_whenTheJwksEndpointGoesDown() {
        JwksServer flaky = JwksServer.start(vertx);
        flaky.publish("/keys", first);
        trustIssuerAt(flaky.uri("/keys"));
        assertThat(call(tokenSignedBy(first)).status()).isEqualTo(200);

        flaky.close();
        clock.advance(Duration.ofMinutes(10));

        assertThat(call(tokenSignedBy(first)).status()).isEqualTo(200);
        assertThat(call(tokenSignedBy(first)).status()).isEqualTo(200);
        clock.advance(REFRESH_INTERVAL);
        Response unknownKid = call(tokenSignedBy(Tokens.rsaKey("unknown")));
        assertThat(unknownKid.status()).isEqualTo(401);
        assertThat(unknownKid.json().getString("detail")).isEqualTo(noKeyWithKid("unknown"));
        assertThat(call(tokenSignedBy(first)).status()).isEqualTo(200);
    }

    @Test
    void floodOfUnknownKids_causesAtMostOneFetchPerInterval() {
        jwks.publish("/flood", first);
        trustIssuerAt(jwks.uri("/flood"));
        assertThat(call(tokenSignedBy(first)).status()).isEqualTo(200);
        RSAKey attacker = Tokens.rsaKey("attacker");
        List<String> unknownKids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String kid = "made-up-" + i;
            unknownKids.add(Tokens.sign(attacker, Tokens.claims(clock, ISSUER, "client", null).build(),
                    header -> header.keyID(kid)));
        }

        clock.advance(REFRESH_INTERVAL);
        List<Response> firstWave = callAtOnce(unknownKids);
        List<Response> secondWave = callAtOnce(unknownKids);

        assertThat(firstWave).extracting(Response::status).containsOnly(401);
        assertThat(secondWave).extracting(Response::status).containsOnly(401);
        assertThat(jwks.fetches("/flood")).isEqualTo(2);

        clock.advance(REFRESH_INTERVAL);
        callAtOnce(unknownKids);
        assertThat(jwks.fetches("/flood")).isEqualTo(3);
        assertThat(call(tokenSignedBy(first)).status()).isEqualTo(200);
    }

    @Test
    void failedFirstFetch_refusesTokens_andIsNotRetriedWithinTheInterval() {
        jwks.fail("/failing", 503);
        trustIssuerAt(jwks.uri("/failing"));
        String token = tokenSignedBy(first);

        Response refused = call(token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().getString("check")).isEqualTo("signature");
        assertThat(refused.json().getString("detail"))
                .isEqualTo("the keys of issuer 'https://idp.keys.test' cannot be fetched");
        assertThat(call(token).status()).isEqualTo(401);
        assertThat(jwks.fetches("/failing")).isEqualTo(1);

        jwks.publish("/failing", first);
        clock.advance(REFRESH_INTERVAL);

        assertThat(call(token).status()).isEqualTo(200);
        assertThat(jwks.fetches("/failing")).isEqualTo(2);
    }

    @Test
    void oversizedKeySet_isNotAccepted() {
        jwks.publishRaw("/huge", "{\"keys\":[],\"padding\":\"" + "x".repeat(300 * 1024) + "\"}");
        trustIssuerAt(jwks.uri("/huge"));

        Response refused = call(tokenSignedBy(first));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().getString("detail"))
                .isEqualTo("the keys of issuer 'https://idp.keys.test' cannot be fetched");
    }
}
