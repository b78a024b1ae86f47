package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.analytics.CallMinute;
import dev.gatehouse.model.analytics.LatencyBuckets;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.AnalyticsRepository.CallCount;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class AnalyticsRepositoryTest {

    private static final Instant MINUTE = Instant.parse("2030-01-01T10:00:00Z");

    private final Store store;
    private final TestClock clock;

    AnalyticsRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    private static List<Long> buckets(int bucket, long count) {
        List<Long> counts = new ArrayList<>(LatencyBuckets.none());
        counts.set(bucket, count);
        return counts;
    }

    private static List<Long> merged(int bucket, long count, int other, long otherCount) {
        List<Long> counts = buckets(bucket, count);
        counts.set(other, otherCount);
        return counts;
    }

    private static CallMinute counted(Instant minute, String api, String app, String status, long requests,
                                      int bucket) {
        return new CallMinute(minute, "acme", api, "GET /orders", app, status, requests, requests * 1_000,
                buckets(bucket, requests));
    }

    @Test
    void partsOfOneMinute_addUp_andOtherKeysStayApart() {
        Organization org = Seed.organization(store);
        store.record(tx -> {
            tx.analytics().add(org.id(), Environment.PRODUCTION, counted(MINUTE, "api-1", "app-1", "2xx", 3, 4));
            tx.analytics().add(org.id(), Environment.PRODUCTION, counted(MINUTE, "api-1", "app-1", "2xx", 2, 6));
            tx.analytics().add(org.id(), Environment.PRODUCTION, counted(MINUTE, "api-1", "app-1", "5xx", 1, 6));
            tx.analytics().add(org.id(), Environment.DEVELOPMENT, counted(MINUTE, "api-1", "app-1", "2xx", 7, 6));
            return null;
        });

        List<CallCount> rows = store.read(tx -> tx.analytics().between(org.id(), MINUTE, MINUTE.plusSeconds(60),
                Environment.PRODUCTION, null, null));
        List<CallCount> expected = List.of(
                new CallCount(MINUTE, Environment.PRODUCTION, "api-1", "GET /orders", "app-1", "2xx", 5, 5_000,
                        merged(4, 3, 6, 2)),
                new CallCount(MINUTE, Environment.PRODUCTION, "api-1", "GET /orders", "app-1", "5xx", 1, 1_000,
                        buckets(6, 1)));

        assertThat(rows).isEqualTo(expected);
    }

    @Test
    void between_keepsToTheRangeTheOrganizationAndTheFilters() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        Instant next = MINUTE.plusSeconds(60);
        store.record(tx -> {
            tx.analytics().add(org.id(), Environment.PRODUCTION, counted(MINUTE, "api-1", "app-1", "2xx", 1, 0));
            tx.analytics().add(org.id(), Environment.PRODUCTION, counted(next, "api-2", "app-2", "4xx", 1, 0));
            tx.analytics().add(other.id(), Environment.PRODUCTION, counted(MINUTE, "api-1", "app-1", "2xx", 1, 0));
            return null;
        });

        List<CallCount> both = store.read(tx -> tx.analytics().between(org.id(), MINUTE, next.plusSeconds(60), null,
                null, null));
        List<CallCount> second = store.read(tx -> tx.analytics().between(org.id(), next, next.plusSeconds(60), null,
                null, null));
        List<CallCount> ofApi2 = store.read(tx -> tx.analytics().between(org.id(), MINUTE, next.plusSeconds(60), null,
                Set.of("api-2"), null));
        List<CallCount> ofApp1 = store.read(tx -> tx.analytics().between(org.id(), MINUTE, next.plusSeconds(60), null,
                null, Set.of("app-1")));
        List<CallCount> ofNoApp = store.read(tx -> tx.analytics().between(org.id(), MINUTE, next.plusSeconds(60), null,
                null, Set.of()));

        assertThat(both).extracting(CallCount::apiId).containsExactly("api-1", "api-2");
        assertThat(second).extracting(CallCount::apiId).containsExactly("api-2");
        assertThat(ofApi2).extracting(CallCount::minute).containsExactly(next);
        assertThat(ofApp1).extracting(CallCount::apiId).containsExactly("api-1");
        assertThat(ofNoApp).isEmpty();
    }

    @Test
    void aBatch_isReceivedOnce_andForgottenLater() {
        String batch = Seed.unique("batch");

        boolean first = store.record(tx -> tx.analytics().markReceived(batch, "gw-1"));
        boolean again = store.record(tx -> tx.analytics().markReceived(batch, "gw-1"));
        store.record(tx -> tx.analytics().forgetBatchesBefore(clock.instant().plus(Duration.ofSeconds(1))));
        boolean afterForgetting = store.record(tx -> tx.analytics().markReceived(batch, "gw-1"));

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(afterForgetting).isTrue();
    }
}
