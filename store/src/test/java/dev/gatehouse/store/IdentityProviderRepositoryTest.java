package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreBackend;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class IdentityProviderRepositoryTest {

    private static final ClaimMapping SCP_AND_CID = new ClaimMapping(List.of("cid", "azp", "client_id"), "scp");

    private final Store store;

    IdentityProviderRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void builtInProvider_isFoundAsTheOrganizationsBuiltInOne() {
        Organization org = Seed.organization(store);

        IdentityProvider builtIn = store.write(r -> r.identityProviders().createBuiltIn(org.id()));

        Optional<IdentityProvider> found = store.read(r -> r.identityProviders().builtIn(org.id()));
        assertThat(found).contains(builtIn);
        assertThat(builtIn.builtIn()).isTrue();
        assertThat(builtIn.claims()).isEqualTo(ClaimMapping.DEFAULT);
        assertThat(builtIn.issuer()).isNull();
    }

    @Test
    void externalProvider_roundTripsWithItsEndpointsClaimsInOrderAndAudience() {
        Organization org = Seed.organization(store);

        IdentityProvider created = store.write(r -> r.identityProviders().createExternal(org.id(), "Okta",
                "https://okta.example.com", "https://okta.example.com/keys", "https://okta.example.com/token",
                "https://okta.example.com/.well-known/openid-configuration", SCP_AND_CID, "api://orders"));

        Optional<IdentityProvider> found = store.read(r -> r.identityProviders().find(org.id(), created.id()));
        assertThat(found).contains(created);
        assertThat(found.orElseThrow().claims().clientIdClaims()).containsExactly("cid", "azp", "client_id");
    }

    @Test
    void externalProviderWithoutOptionalEndpoints_roundTripsWithNulls() {
        Organization org = Seed.organization(store);

        IdentityProvider created = store.write(r -> r.identityProviders().createExternal(org.id(), "Keycloak",
                "https://kc.example.com", "https://kc.example.com/certs", null, null, ClaimMapping.DEFAULT, null));

        Optional<IdentityProvider> found = store.read(r -> r.identityProviders().find(org.id(), created.id()));
        assertThat(found).contains(created);
    }

    @Test
    void providerOfAnotherOrganization_isNotFound() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        IdentityProvider idp = Seed.externalIdp(store, org);

        Optional<IdentityProvider> found = store.read(r -> r.identityProviders().find(other.id(), idp.id()));

        assertThat(found).isEmpty();
    }

    @Test
    void list_putsTheBuiltInProviderFirstThenOrdersByName() {
        Organization org = Seed.organization(store);
        store.write(r -> r.identityProviders().createExternal(org.id(), "Okta", "https://okta", "https://okta/keys",
                null, null, ClaimMapping.DEFAULT, null));
        store.write(r -> r.identityProviders().createBuiltIn(org.id()));
        store.write(r -> r.identityProviders().createExternal(org.id(), "Auth0", "https://auth0", "https://auth0/jwks",
                null, null, ClaimMapping.DEFAULT, null));

        List<IdentityProvider> providers = store.read(r -> r.identityProviders().list(org.id()));

        assertThat(providers).extracting(IdentityProvider::name).containsExactly("Gatehouse", "Auth0", "Okta");
    }

    @Test
    void listAll_isEveryOrganizationsProviders(StoreBackend backend, TestClock clock) {
        try (Store fresh = backend.open(clock)) {
            Organization acme = Seed.organization(fresh);
            Organization globex = Seed.organization(fresh);
            IdentityProvider acmeBuiltIn = fresh.write(r -> r.identityProviders().createBuiltIn(acme.id()));
            IdentityProvider globexBuiltIn = fresh.write(r -> r.identityProviders().createBuiltIn(globex.id()));
            IdentityProvider acmeExternal = Seed.externalIdp(fresh, acme);

            List<IdentityProvider> all = fresh.read(r -> r.identityProviders().listAll());

            assertThat(all).containsExactlyInAnyOrder(acmeBuiltIn, globexBuiltIn, acmeExternal);
            assertThat(all.indexOf(acmeBuiltIn)).isLessThan(all.indexOf(acmeExternal));
        }
    }

    @Test
    void deleteOfAnExternalProvider_removesIt() {
        Organization org = Seed.organization(store);
        IdentityProvider idp = Seed.externalIdp(store, org);

        boolean deleted = store.write(r -> r.identityProviders().delete(org.id(), idp.id()));
        boolean deletedAgain = store.write(r -> r.identityProviders().delete(org.id(), idp.id()));

        Optional<IdentityProvider> found = store.read(r -> r.identityProviders().find(org.id(), idp.id()));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(found).isEmpty();
    }

    @Test
    void deleteOfTheBuiltInProvider_keepsIt() {
        Organization org = Seed.organization(store);
        IdentityProvider builtIn = store.write(r -> r.identityProviders().createBuiltIn(org.id()));

        boolean deleted = store.write(r -> r.identityProviders().delete(org.id(), builtIn.id()));

        Optional<IdentityProvider> found = store.read(r -> r.identityProviders().builtIn(org.id()));
        assertThat(deleted).isFalse();
        assertThat(found).contains(builtIn);
    }
}
