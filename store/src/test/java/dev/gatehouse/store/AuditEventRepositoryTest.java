package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.AuditEvent;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@StoreTest
class AuditEventRepositoryTest {

    private final Store store;
    private final TestClock clock;

    AuditEventRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void events_roundTripNewestFirst_perOrganization_upToTheLimit() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        AuditEvent first = store.record(r -> r.auditEvents().add(org.id(), "login.failed", "alice", "web",
                "10.0.0.1", null));
        clock.advance(Duration.ofSeconds(1));
        AuditEvent second = store.record(r -> r.auditEvents().add(org.id(), "token.issued", "u-1", "web", null,
                "authorization_code"));
        store.record(r -> r.auditEvents().add(other.id(), "login.failed", "bob", null, null, null));

        List<AuditEvent> all = store.read(r -> r.auditEvents().list(org.id(), 10));
        List<AuditEvent> newest = store.read(r -> r.auditEvents().list(org.id(), 1));

        assertThat(all).containsExactly(second, first);
        assertThat(newest).containsExactly(second);
    }

    @Test
    void overlongValues_areCutToTheirColumns() {
        Organization org = Seed.organization(store);

        AuditEvent event = store.record(r -> r.auditEvents().add(org.id(), "login.failed", "a".repeat(500), null,
                null, null));

        assertThat(event.actor()).hasSize(200);
        List<AuditEvent> stored = store.read(r -> r.auditEvents().list(org.id(), 1));
        assertThat(stored).containsExactly(event);
    }
}
