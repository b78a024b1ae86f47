package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class OAuthClientRepositoryTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final Store store;

    OAuthClientRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void confidentialClient_roundTripsWithItsSecretHashGrantsScopesAndLifetime() {
        Organization org = Seed.organization(store);

        OAuthClient created = store.write(r -> r.oauthClients().create(org.id(), "Shop", "shop", "secret-hash",
                Set.of("client_credentials", "password"), Set.of("orders:read", "orders:write"), HOUR));

        Optional<OAuthClient> found = store.read(r -> r.oauthClients().findByClientId(org.id(), "shop"));
        assertThat(found).contains(created);
        assertThat(found.orElseThrow().confidential()).isTrue();
        assertThat(found.orElseThrow().accessTokenLifetime()).isEqualTo(HOUR);
    }

    @Test
    void publicClient_roundTripsWithoutASecret() {
        Organization org = Seed.organization(store);

        OAuthClient created = store.write(r -> r.oauthClients().create(org.id(), "CLI", "cli", null,
                Set.of("password"), Set.of(), Duration.ofMinutes(5)));

        Optional<OAuthClient> found = store.read(r -> r.oauthClients().findByClientId(org.id(), "cli"));
        assertThat(found).contains(created);
        assertThat(found.orElseThrow().confidential()).isFalse();
    }

    @Test
    void redirectUris_roundTripInTheirRegisteredOrder() {
        Organization org = Seed.organization(store);
        List<String> uris = List.of("https://shop.example/cb", "http://localhost:8080/callback?x=1");

        OAuthClient created = store.write(r -> r.oauthClients().create(org.id(), "Web", "web", null,
                Set.of("authorization_code"), Set.of(), uris, HOUR));

        Optional<OAuthClient> found = store.read(r -> r.oauthClients().findByClientId(org.id(), "web"));
        assertThat(found).contains(created);
        assertThat(found.orElseThrow().redirectUris()).containsExactlyElementsOf(uris);
    }

    @Test
    void sameClientIdInAnotherOrganization_isAnotherClient() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        store.write(r -> r.oauthClients().create(org.id(), "Shop", "shop", null, Set.of(), Set.of(), HOUR));

        OAuthClient elsewhere = store.write(r ->
                r.oauthClients().create(other.id(), "Shop", "shop", null, Set.of(), Set.of(), HOUR));

        Optional<OAuthClient> found = store.read(r -> r.oauthClients().findByClientId(other.id(), "shop"));
        assertThat(found).contains(elsewhere);
    }

    @Test
    void list_isOrderedByNameThenClientId() {
        Organization org = Seed.organization(store);
        store.write(r -> r.oauthClients().create(org.id(), "Shop", "shop-2", null, Set.of(), Set.of(), HOUR));
        store.write(r -> r.oauthClients().create(org.id(), "Admin", "admin", null, Set.of(), Set.of(), HOUR));
        store.write(r -> r.oauthClients().create(org.id(), "Shop", "shop-1", null, Set.of(), Set.of(), HOUR));

        List<OAuthClient> clients = store.read(r -> r.oauthClients().list(org.id()));

        assertThat(clients).extracting(OAuthClient::clientId).containsExactly("admin", "shop-1", "shop-2");
    }

    @Test
    void updateAuthorizedScopes_replacesThemAndTellsWhetherTheClientExists() {
        Organization org = Seed.organization(store);
        store.write(r -> r.oauthClients().create(org.id(), "Shop", "shop", null, Set.of(), Set.of("old"), HOUR));

        boolean updated = store.write(r -> r.oauthClients().updateAuthorizedScopes(org.id(), "shop", Set.of("a", "b")));
        boolean missing = store.write(r -> r.oauthClients().updateAuthorizedScopes(org.id(), "nope", Set.of("a")));

        Optional<OAuthClient> found = store.read(r -> r.oauthClients().findByClientId(org.id(), "shop"));
        assertThat(updated).isTrue();
        assertThat(missing).isFalse();
        assertThat(found.orElseThrow().authorizedScopes()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void delete_removesTheClientAndTellsWhetherItExisted() {
        Organization org = Seed.organization(store);
        store.write(r -> r.oauthClients().create(org.id(), "Shop", "shop", null, Set.of(), Set.of(), HOUR));

        boolean deleted = store.write(r -> r.oauthClients().delete(org.id(), "shop"));
        boolean deletedAgain = store.write(r -> r.oauthClients().delete(org.id(), "shop"));

        Optional<OAuthClient> found = store.read(r -> r.oauthClients().findByClientId(org.id(), "shop"));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(found).isEmpty();
    }
}
