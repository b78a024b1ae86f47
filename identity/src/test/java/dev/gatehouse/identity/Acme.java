package dev.gatehouse.identity;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.identity.User;
import java.time.Duration;
import java.util.Set;

/**
 * An organization set up as the guide sets one up: two API resources with fully qualified scopes, roles that
 * allow some of them, users in those roles, and applications authorized for some of the scopes.
 */
final class Acme {

    static final String PASSWORD = "correct horse battery";
    static final Duration APP_TOKEN_LIFETIME = Duration.ofMinutes(15);

    final String handle;
    final Organization org;
    final String ordersApi;
    final String stockApi;
    final String read;
    final String write;
    final String stockRead;
    /** Role reader: orders read and stock read. */
    final User alice;
    /** Role writer: orders read and write, stock read. */
    final User bob;
    /** Confidential; password and client_credentials; authorized for every scope; tokens live 15 minutes. */
    final RegisteredClient app;
    /** Confidential; password only; authorized for orders read. */
    final RegisteredClient readOnlyApp;
    /** Public; password; authorized for orders read and write. */
    final RegisteredClient publicApp;
    /** Confidential; client_credentials only; authorized for orders read and write; the default lifetime. */
    final RegisteredClient service;

    Acme(IdpServer server, String handle) {
        this.handle = handle;
        this.org = server.createOrganization(handle);
        this.ordersApi = "https://api." + handle + ".test/orders";
        this.stockApi = "https://api." + handle + ".test/stock";
        this.read = Scopes.qualified(handle, "orders", "read");
        this.write = Scopes.qualified(handle, "orders", "write");
        this.stockRead = Scopes.qualified(handle, "stock", "read");
        BuiltInIdentityProvider idp = server.idp;
        String orgId = org.id();
        this.alice = server.write(tx -> {
            tx.apiResources().create(orgId, ordersApi, "Orders", Set.of(read, write));
            tx.apiResources().create(orgId, stockApi, "Stock", Set.of(stockRead));
            tx.roles().create(orgId, "reader", Set.of(read, stockRead));
            tx.roles().create(orgId, "writer", Set.of(read, write, stockRead));
            return idp.createUser(tx, orgId, "alice", PASSWORD, Set.of("reader"));
        });
        this.bob = server.write(tx -> idp.createUser(tx, orgId, "bob", PASSWORD, Set.of("writer", "subscriber")));
        this.app = server.write(tx -> idp.registerClient(tx, orgId, new ClientRegistration("App",
                Set.of("password", "client_credentials"), Set.of(read, write, stockRead), true, APP_TOKEN_LIFETIME)));
        this.readOnlyApp = server.write(tx -> idp.registerClient(tx, orgId, new ClientRegistration("Read-only app",
                Set.of("password"), Set.of(read), true, null)));
        this.publicApp = server.write(tx -> idp.registerClient(tx, orgId, new ClientRegistration("Public app",
                Set.of("password"), Set.of(read, write), false, null)));
        this.service = server.write(tx -> idp.registerClient(tx, orgId, new ClientRegistration("Service",
                Set.of("client_credentials"), Set.of(read, write), true, null)));
    }

    static String basic(RegisteredClient client) {
        return basic(client.client().clientId(), client.clientSecret());
    }

    static String basic(String clientId, String secret) {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString((clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
