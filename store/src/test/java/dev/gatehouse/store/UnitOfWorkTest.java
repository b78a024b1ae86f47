package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;

@StoreTest
class UnitOfWorkTest {

    private final Store store;
    private final TestClock clock;

    UnitOfWorkTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void eachWrite_advancesTheConfigRevisionByOne() {
        long before = store.configRevision();

        Organization org = Seed.organization(store);
        store.write(r -> r.organizations().findById(org.id()));

        assertThat(store.configRevision()).isEqualTo(before + 2);
    }

    @Test
    void commitListeners_hearCommittedWritesOnly() {
        AtomicInteger commits = new AtomicInteger();
        store.onCommit(commits::incrementAndGet);
        Organization taken = Seed.organization(store);

        assertThatThrownBy(() -> store.write(r -> r.organizations().create(taken.handle(), "Again")))
                .isInstanceOf(StoreConflictException.class);
        store.read(r -> r.organizations().list());

        assertThat(commits).hasValue(1);
    }

    @Test
    void reads_leaveTheConfigRevisionAlone() {
        Organization org = Seed.organization(store);
        long before = store.configRevision();

        store.read(r -> r.organizations().findById(org.id()));
        store.read(r -> r.organizations().list());

        assertThat(store.configRevision()).isEqualTo(before);
    }

    @Test
    void writeWhoseSecondInsertBreaksAUniqueConstraint_isRolledBackWhole() {
        Organization taken = Seed.organization(store);
        String fresh = Seed.unique("org");
        long before = store.configRevision();

        assertThatThrownBy(() -> store.write(r -> {
            r.organizations().create(fresh, "First");
            return r.organizations().create(taken.handle(), "Second");
        })).isInstanceOf(StoreConflictException.class);

        Optional<Organization> first = store.read(r -> r.organizations().findByHandle(fresh));
        assertThat(first).isEmpty();
        assertThat(store.configRevision()).isEqualTo(before);
    }

    @Test
    void writeThatThrowsItsOwnException_isRolledBackAndTheExceptionPassesThrough() {
        Organization org = Seed.organization(store);
        String username = Seed.unique("user");
        long before = store.configRevision();

        assertThatThrownBy(() -> store.write(r -> r.users().create(org.id(), username, "hash", Set.of("no-such-role"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown role 'no-such-role'");

        Optional<User> user = store.read(r -> r.users().find(org.id(), username));
        assertThat(user).isEmpty();
        assertThat(store.configRevision()).isEqualTo(before);
    }

    @Test
    void missingRequiredValue_isAnErrorNotAConflict() {
        Organization org = Seed.organization(store);
        Map<Environment, String> productionOnly = Map.of(Environment.PRODUCTION, "https://orders.example.com");

        assertThatThrownBy(() -> store.write(r ->
                r.apis().create(org.id(), "Orders", "orders", "v1", "/orders", "", productionOnly)))
                .isInstanceOf(JdbiException.class)
                .isNotInstanceOf(StoreConflictException.class);
    }

    @Test
    void concurrentWrites_eachAdvanceTheRevisionOnce() throws Exception {
        long before = store.configRevision();
        List<Future<Organization>> writes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                writes.add(threads.submit(() -> Seed.organization(store)));
            }
        }
        for (Future<Organization> write : writes) {
            write.get();
        }

        assertThat(store.configRevision()).isEqualTo(before + 40);
    }

    @Test
    void timesFinerThanAMicrosecond_areCutSoThatWhatIsWrittenIsWhatIsRead() {
        Instant now = clock.advance(Duration.ofNanos(1_234_567_891));

        Organization created = Seed.organization(store);

        assertThat(created.createdAt()).isEqualTo(now.truncatedTo(ChronoUnit.MICROS)).isNotEqualTo(now);
        Optional<Organization> read = store.read(r -> r.organizations().findById(created.id()));
        assertThat(read).contains(created);
    }
}
