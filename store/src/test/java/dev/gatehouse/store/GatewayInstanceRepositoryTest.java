package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.fleet.GatewayInstance;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@StoreTest
class GatewayInstanceRepositoryTest {

    private final Store store;
    private final TestClock clock;

    GatewayInstanceRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void reports_keepTheFirstSightingAndUpdateTheRest_withoutAdvancingTheConfigRevision() {
        String id = Seed.unique("gw");
        long revision = store.configRevision();
        Instant first = clock.instant();
        store.record(r -> {
            r.gatewayInstances().report(id, Environment.PRODUCTION, "http://10.0.0.7:8280", 0);
            return null;
        });
        Instant later = clock.advance(Duration.ofSeconds(30));
        store.record(r -> {
            r.gatewayInstances().report(id, Environment.PRODUCTION, "http://10.0.0.7:8280", 42);
            return null;
        });

        List<GatewayInstance> seen = store.read(r -> r.gatewayInstances().seenSince(first));

        assertThat(seen).filteredOn(gateway -> gateway.id().equals(id)).containsExactly(
                new GatewayInstance(id, Environment.PRODUCTION, "http://10.0.0.7:8280", 42, first, later));
        assertThat(store.configRevision()).isEqualTo(revision);
    }

    @Test
    void gatewaysNotHeardFromSince_areLeftOut() {
        String quiet = Seed.unique("gw");
        String chatty = Seed.unique("gw");
        store.record(r -> {
            r.gatewayInstances().report(quiet, Environment.DEVELOPMENT, "http://a:8281", 1);
            return null;
        });
        Instant cutoff = clock.advance(Duration.ofMinutes(1));
        store.record(r -> {
            r.gatewayInstances().report(chatty, Environment.DEVELOPMENT, "http://b:8281", 1);
            return null;
        });

        List<GatewayInstance> seen = store.read(r -> r.gatewayInstances().seenSince(cutoff));

        assertThat(seen).extracting(GatewayInstance::id).contains(chatty).doesNotContain(quiet);
    }
}
