package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.store.testing.StoreTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tiers of whole APIs and whole applications, beside the subscriptions' own. */
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
}
