package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.testing.StoreTest;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class ConsentRepositoryTest {

    private final Store store;

    ConsentRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void granted_isEmptyBeforeAnyConsent() {
        Organization org = Seed.organization(store);
        User user = Seed.user(store, org);

        Set<String> granted = store.read(r -> r.consents().granted(user.id(), "web"));

        assertThat(granted).isEmpty();
    }

    @Test
    void grant_addsToWhatWasAllowedBefore_perClient() {
        Organization org = Seed.organization(store);
        User user = Seed.user(store, org);

        store.record(r -> {
            r.consents().grant(org.id(), user.id(), "web", Set.of("a"));
            r.consents().grant(org.id(), user.id(), "web", Set.of("b"));
            r.consents().grant(org.id(), user.id(), "other", Set.of("c"));
            return null;
        });

        Set<String> web = store.read(r -> r.consents().granted(user.id(), "web"));
        Set<String> other = store.read(r -> r.consents().granted(user.id(), "other"));
        assertThat(web).containsExactlyInAnyOrder("a", "b");
        assertThat(other).containsExactly("c");
    }
}
