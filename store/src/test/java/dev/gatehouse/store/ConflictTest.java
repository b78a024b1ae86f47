package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.Permission;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.store.StoreConflictException.Kind;
import dev.gatehouse.store.testing.StoreTest;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Broken constraints surface with the same kind and constraint name on both databases. */
@StoreTest
class ConflictTest {

    private final Store store;

    ConflictTest(Store store) {
        this.store = store;
    }

    @Test
    void secondOrganizationWithATakenHandle_isDuplicateOnOrganizationsHandleKey() {
        Organization org = Seed.organization(store);

        StoreConflictException conflict = conflictOf(r -> r.organizations().create(org.handle(), "Other"));

        assertThat(conflict.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(conflict.constraint()).isEqualTo("organizations_handle_key");
        assertThat(conflict).hasMessage("DUPLICATE on organizations_handle_key");
    }

    @Test
    void clientIdLinkedTwice_isDuplicateOnCredentialsClientIdKey() {
        Organization org = Seed.organization(store);
        IdentityProvider idp = Seed.externalIdp(store, org);
        Application first = Seed.application(store, org);
        Application second = Seed.application(store, org);
        store.write(r -> r.credentials().create(first.id(), KeyType.PRODUCTION, idp.id(), "client-1"));

        StoreConflictException conflict =
                conflictOf(r -> r.credentials().create(second.id(), KeyType.SANDBOX, idp.id(), "client-1"));

        assertThat(conflict.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(conflict.constraint()).isEqualTo("credentials_client_id_key");
    }

    @Test
    void secondSubscriptionOfAnApplicationToAnApi_isDuplicateOnSubscriptionsApiKey() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Application app = Seed.application(store, org);
        store.write(r -> r.subscriptions().create(app.id(), api.id(), "Gold"));

        StoreConflictException conflict = conflictOf(r -> r.subscriptions().create(app.id(), api.id(), "Bronze"));

        assertThat(conflict.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(conflict.constraint()).isEqualTo("subscriptions_api_key");
    }

    @Test
    void secondApiWithTheSameContextAndVersion_isDuplicateOnApisContextKey() {
        Organization org = Seed.organization(store);
        Seed.api(store, org, "/orders");

        StoreConflictException conflict = conflictOf(r -> r.apis().create(org.id(), "Other", "other", "v1",
                "/orders", "", Seed.BACKENDS));

        assertThat(conflict.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(conflict.constraint()).isEqualTo("apis_context_key");
    }

    @Test
    void permissionAddedTwice_isDuplicateOnApiPermissionsPrimaryKey() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Permission read = new Permission("read", "Read orders");
        store.write(r -> {
            r.apis().addPermission(api.id(), read);
            return null;
        });

        StoreConflictException conflict = conflictOf(r -> {
            r.apis().addPermission(api.id(), read);
            return null;
        });

        assertThat(conflict.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(conflict.constraint()).isEqualTo("api_permissions_pkey");
    }

    @Test
    void deletingAnIdentityProviderStillUsedByACredential_isReferenceOnCredentialsIdpIdFkey() {
        Organization org = Seed.organization(store);
        IdentityProvider idp = Seed.externalIdp(store, org);
        Application app = Seed.application(store, org);
        store.write(r -> r.credentials().create(app.id(), KeyType.PRODUCTION, idp.id(), "client-1"));

        StoreConflictException conflict = conflictOf(r -> r.identityProviders().delete(org.id(), idp.id()));

        assertThat(conflict.kind()).isEqualTo(Kind.REFERENCE);
        assertThat(conflict.constraint()).isEqualTo("credentials_idp_id_fkey");
        Optional<IdentityProvider> kept = store.read(r -> r.identityProviders().find(org.id(), idp.id()));
        assertThat(kept).contains(idp);
    }

    @Test
    void credentialOfAMissingIdentityProvider_isReferenceOnCredentialsIdpIdFkey() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);

        StoreConflictException conflict =
                conflictOf(r -> r.credentials().create(app.id(), KeyType.PRODUCTION, "no-such-idp", "client-1"));

        assertThat(conflict.kind()).isEqualTo(Kind.REFERENCE);
        assertThat(conflict.constraint()).isEqualTo("credentials_idp_id_fkey");
    }

    private StoreConflictException conflictOf(Function<Repositories, ?> work) {
        long before = store.configRevision();
        StoreConflictException conflict =
                catchThrowableOfType(StoreConflictException.class, () -> store.write(work));
        assertThat(conflict).as("conflict").isNotNull();
        assertThat(store.configRevision()).as("config revision").isEqualTo(before);
        return conflict;
    }
}
