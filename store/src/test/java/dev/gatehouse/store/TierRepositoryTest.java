package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.RateLimit;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class TierRepositoryTest {

    private final Store store;

    TierRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void createdTiers_areFoundInTheirOrganizationOnly() {
        Organization acme = Seed.organization(store);
        Organization globex = Seed.organization(store);
        RateLimit partner = new RateLimit("Partner", 100, Duration.ofMinutes(1), 120);

        store.write(r -> r.tiers().create(acme.id(), partner));

        List<RateLimit> listed = store.read(r -> r.tiers().list(acme.id()));
        Optional<RateLimit> found = store.read(r -> r.tiers().find(acme.id(), "Partner"));
        Optional<RateLimit> elsewhere = store.read(r -> r.tiers().find(globex.id(), "Partner"));
        List<TierRepository.OrgTier> all = store.read(r -> r.tiers().listAll());

        assertThat(listed).containsExactly(partner);
        assertThat(found).contains(partner);
        assertThat(elsewhere).isEmpty();
        assertThat(all).contains(new TierRepository.OrgTier(acme.id(), partner));
    }

    @Test
    void aSecondTierOfTheSameName_isAConflict() {
        Organization acme = Seed.organization(store);
        store.write(r -> r.tiers().create(acme.id(), RateLimit.of("Partner", 100, Duration.ofMinutes(1))));

        StoreConflictException conflict = catchThrowableOfType(StoreConflictException.class, () -> store.write(r ->
                r.tiers().create(acme.id(), RateLimit.of("Partner", 5, Duration.ofSeconds(1)))));

        assertThat(conflict.constraint()).isEqualTo("rate_limit_tiers_pkey");
    }
}
