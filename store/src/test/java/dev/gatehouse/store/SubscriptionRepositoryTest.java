package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.consumer.Subscription;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreBackend;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class SubscriptionRepositoryTest {

    private final Store store;
    private final TestClock clock;

    SubscriptionRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void createdSubscription_isActiveAndFoundInItsApplication() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Application app = Seed.application(store, org);

        Subscription created = store.write(r -> r.subscriptions().create(app.id(), api.id(), "Gold"));

        Optional<Subscription> found = store.read(r -> r.subscriptions().find(app.id(), created.id()));
        Optional<Subscription> elsewhere = store.read(r ->
                r.subscriptions().find(Seed.application(store, org).id(), created.id()));
        assertThat(found).contains(created);
        assertThat(created.status()).isEqualTo(Subscription.Status.ACTIVE);
        assertThat(created.tier()).isEqualTo("Gold");
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void list_isTheApplicationsSubscriptionsOldestFirst() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);
        List<Api> apis = List.of(Seed.api(store, org, "/c"), Seed.api(store, org, "/a"), Seed.api(store, org, "/b"));
        for (Api api : apis) {
            clock.advance(Duration.ofSeconds(1));
            store.write(r -> r.subscriptions().create(app.id(), api.id(), "Gold"));
        }

        List<Subscription> subscriptions = store.read(r -> r.subscriptions().list(app.id()));

        assertThat(subscriptions).extracting(Subscription::apiId)
                .containsExactlyElementsOf(apis.stream().map(Api::id).toList());
    }

    @Test
    void setStatus_blocksAndUnblocks() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);
        Subscription subscription = store.write(r ->
                r.subscriptions().create(app.id(), Seed.api(store, org, "/orders").id(), "Gold"));

        store.write(r -> {
            r.subscriptions().setStatus(subscription.id(), Subscription.Status.BLOCKED);
            return null;
        });
        Optional<Subscription> blocked = store.read(r -> r.subscriptions().find(app.id(), subscription.id()));

        assertThat(blocked.orElseThrow().status()).isEqualTo(Subscription.Status.BLOCKED);
    }

    @Test
    void delete_removesTheSubscriptionAndTellsWhetherItExisted() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);
        Subscription subscription = store.write(r ->
                r.subscriptions().create(app.id(), Seed.api(store, org, "/orders").id(), "Gold"));

        boolean deleted = store.write(r -> r.subscriptions().delete(app.id(), subscription.id()));
        boolean deletedAgain = store.write(r -> r.subscriptions().delete(app.id(), subscription.id()));

        List<Subscription> subscriptions = store.read(r -> r.subscriptions().list(app.id()));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(subscriptions).isEmpty();
    }

    @Test
    void deletingTheApi_deletesItsSubscriptions() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);
        Api api = Seed.api(store, org, "/orders");
        store.write(r -> r.subscriptions().create(app.id(), api.id(), "Gold"));

        store.write(r -> r.apis().delete(org.id(), api.id()));

        List<Subscription> subscriptions = store.read(r -> r.subscriptions().list(app.id()));
        assertThat(subscriptions).isEmpty();
    }

    @Test
    void listAllWithOrganization_isEverySubscriptionOrderedByApplicationThenApi(StoreBackend backend) {
        try (Store fresh = backend.open(clock)) {
            Organization org = Seed.organization(fresh);
            Application shop = Seed.application(fresh, org);
            Application kiosk = Seed.application(fresh, org);
            Api orders = Seed.api(fresh, org, "/orders");
            Api users = Seed.api(fresh, org, "/users");
            List<Subscription> created = List.of(
                    fresh.write(r -> r.subscriptions().create(shop.id(), orders.id(), "Gold")),
                    fresh.write(r -> r.subscriptions().create(kiosk.id(), users.id(), "Gold")),
                    fresh.write(r -> r.subscriptions().create(shop.id(), users.id(), "Gold")),
                    fresh.write(r -> r.subscriptions().create(kiosk.id(), orders.id(), "Gold")));

            List<SubscriptionRepository.OrgSubscription> all =
                    fresh.read(r -> r.subscriptions().listAllWithOrganization());

            assertThat(all).containsExactlyElementsOf(created.stream()
                    .sorted(Comparator.comparing(Subscription::applicationId).thenComparing(Subscription::apiId))
                    .map(subscription -> new SubscriptionRepository.OrgSubscription(org.id(), subscription))
                    .toList());
        }
    }
}
