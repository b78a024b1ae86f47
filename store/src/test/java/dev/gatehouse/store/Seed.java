package dev.gatehouse.store;

import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.identity.User;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Rows the tests build on, each with names of its own so that tests sharing a store keep apart. */
final class Seed {

    static final Map<Environment, String> BACKENDS = Map.of(
            Environment.PRODUCTION, "https://orders.example.com",
            Environment.DEVELOPMENT, "https://orders.dev.example.com");

    private static final AtomicInteger NEXT = new AtomicInteger();

    private Seed() {
    }

    static String unique(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet();
    }

    static Organization organization(Store store) {
        return store.write(r -> r.organizations().create(unique("org"), "Acme"));
    }

    static User user(Store store, Organization org) {
        return store.write(r -> r.users().create(org.id(), unique("user"), "hash", Set.of()));
    }

    static Application application(Store store, Organization org) {
        User owner = user(store, org);
        return store.write(r -> r.applications().create(org.id(), unique("app"), "An app", owner.id()));
    }

    static IdentityProvider externalIdp(Store store, Organization org) {
        return store.write(r -> r.identityProviders().createExternal(org.id(), unique("idp"),
                "https://idp.example.com", "https://idp.example.com/jwks", null, null, ClaimMapping.DEFAULT, null));
    }

    static Api api(Store store, Organization org, String context) {
        return store.write(r -> r.apis().create(org.id(), "Orders", unique("orders"), "v1", context, "Orders API",
                BACKENDS));
    }
}
