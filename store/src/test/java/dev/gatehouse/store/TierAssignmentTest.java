package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.Resource;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.store.testing.StoreTest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tiers of whole APIs, of single resources and of whole applications, beside the subscriptions' own. */
@StoreTest
class TierAssignmentTest {

    private final Store store;

    TierAssignmentTest(Store store) {
        this.store = store;
    }

    @Test
    void apisAndApplications_startUnlimited_andTakeATier() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/tiered");
        Application app = Seed.application(store, org);
        String apiBefore = store.read(r -> r.apis().tier(api.id()));
        String appBefore = store.read(r -> r.applications().tier(app.id()));

        store.write(r -> {
            r.apis().setTier(api.id(), "Gold");
            r.applications().setTier(app.id(), "Partner");
            return null;
        });

        Map<String, String> apiTiers = store.read(r -> r.apis().tiers());
        Map<String, ApplicationRepository.OrgTierName> appTiers = store.read(r -> r.applications().tiers());
        assertThat(apiBefore).isEqualTo("Unlimited");
        assertThat(appBefore).isEqualTo("Unlimited");
        assertThat(apiTiers).containsEntry(api.id(), "Gold");
        assertThat(appTiers).containsEntry(app.id(), new ApplicationRepository.OrgTierName(org.id(), "Partner"));
    }

    @Test
    void resources_startUnlimited_andTakeATier_ofTheirOwnApiOnly() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/tiered-resources");
        Api other = Seed.api(store, org, "/other");
        Resource items = store.write(r -> r.apis().addResource(api.id(), "GET", "/items", Set.of()));

        String before = store.read(r -> r.apis().resourceTier(api.id(), items.id())).orElseThrow();
        boolean set = store.write(r -> r.apis().setResourceTier(api.id(), items.id(), "Bronze"));
        boolean setThroughAnotherApi = store.write(r -> r.apis().setResourceTier(other.id(), items.id(), "Gold"));

        assertThat(before).isEqualTo("Unlimited");
        assertThat(set).isTrue();
        assertThat(setThroughAnotherApi).isFalse();
        Optional<String> after = store.read(r -> r.apis().resourceTier(api.id(), items.id()));
        Optional<String> throughAnotherApi = store.read(r -> r.apis().resourceTier(other.id(), items.id()));
        Map<String, String> tiers = store.read(r -> r.apis().resourceTiers());
        assertThat(after).contains("Bronze");
        assertThat(throughAnotherApi).isEmpty();
        assertThat(tiers).containsEntry(items.id(), "Bronze");
    }
}
