package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.store.SigningKeyPolicyRepository.SigningKeyPolicy;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class SigningKeyPolicyRepositoryTest {

    private final Store store;

    SigningKeyPolicyRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void aPolicy_isNoneUntilPut_andPutAgainReplacesIt() {
        Organization org = Seed.organization(store);
        Optional<SigningKeyPolicy> none = store.read(r -> r.signingKeyPolicies().find(org.id()));

        store.write(r -> {
            r.signingKeyPolicies().put(new SigningKeyPolicy(org.id(), 90, "RS256"));
            return null;
        });
        store.write(r -> {
            r.signingKeyPolicies().put(new SigningKeyPolicy(org.id(), 30, "ES256"));
            return null;
        });

        Optional<SigningKeyPolicy> found = store.read(r -> r.signingKeyPolicies().find(org.id()));
        List<SigningKeyPolicy> enabled = store.read(r -> r.signingKeyPolicies().listEnabled());
        assertThat(none).isEmpty();
        assertThat(found).contains(new SigningKeyPolicy(org.id(), 30, "ES256"));
        assertThat(enabled).contains(new SigningKeyPolicy(org.id(), 30, "ES256"));
    }

    @Test
    void aRotationAwayFromAKey_isClaimedOnce_andNotAtAllWhenOff() {
        Organization org = Seed.organization(store);
        Organization off = Seed.organization(store);
        store.write(r -> {
            r.signingKeyPolicies().put(new SigningKeyPolicy(org.id(), 90, "RS256"));
            r.signingKeyPolicies().put(new SigningKeyPolicy(off.id(), 0, "RS256"));
            return null;
        });

        boolean first = store.write(r -> r.signingKeyPolicies().claimRotation(org.id(), "kid-1"));
        boolean second = store.write(r -> r.signingKeyPolicies().claimRotation(org.id(), "kid-1"));
        boolean next = store.write(r -> r.signingKeyPolicies().claimRotation(org.id(), "kid-2"));
        boolean disabled = store.write(r -> r.signingKeyPolicies().claimRotation(off.id(), "kid-1"));
        boolean noPolicy = store.write(r -> r.signingKeyPolicies().claimRotation(Seed.organization(store).id(), "k"));
        List<SigningKeyPolicy> enabled = store.read(r -> r.signingKeyPolicies().listEnabled());

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(next).isTrue();
        assertThat(disabled).isFalse();
        assertThat(noPolicy).isFalse();
        assertThat(enabled).extracting(SigningKeyPolicy::orgId).contains(org.id()).doesNotContain(off.id());
    }
}
