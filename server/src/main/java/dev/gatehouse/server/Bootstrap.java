package dev.gatehouse.server;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The first start on an empty store: the operator organization and its first admin, whose admins manage
 * every organization. The admin's password is the configured one, or a random one that is printed once.
 *
 * <p>Control-plane replicas sharing one database may all start at once on an empty one. The check for
 * emptiness and the creation are one transaction, and the operator organization's unique handle decides
 * between racing replicas: the one whose insert loses finds the store bootstrapped, as if it had started later.
 */
public final class Bootstrap {

    public static final String ADMIN_USERNAME = "admin";

    /** @param generatedPassword the admin's password when it was generated here, else null */
    public record Outcome(boolean created, String generatedPassword) {
    }

    private final Store store;
    private final BuiltInIdentityProvider identity;
    private final String operatorOrganization;

    Bootstrap(Store store, BuiltInIdentityProvider identity, String operatorOrganization) {
        this.store = store;
        this.identity = identity;
        this.operatorOrganization = operatorOrganization;
    }

    Outcome run(String configuredPassword) {
        if (!store.read(tx -> tx.organizations().isEmpty())) {
            registerWebClients();
            return new Outcome(false, null);
        }
        String password = configuredPassword != null ? configuredPassword : randomPassword();
        try {
            boolean created = store.write(tx -> {
                if (!tx.organizations().isEmpty()) {
                    return false;
                }
                Organization org = tx.organizations().create(operatorOrganization, "Gatehouse operators");
                identity.provisionOrganization(tx, org);
                identity.createUser(tx, org.id(), ADMIN_USERNAME, password, Set.of(Role.ADMIN));
                return true;
            });
            if (!created) {
                return new Outcome(false, null);
            }
        } catch (StoreConflictException e) {
            if (e.kind() != StoreConflictException.Kind.DUPLICATE || store.read(tx -> tx.organizations().isEmpty())) {
                throw e;
            }
            return new Outcome(false, null);
        }
        if (configuredPassword == null) {
            System.out.println();
            System.out.println("  First start: created organization '" + operatorOrganization + "' with user '"
                    + ADMIN_USERNAME + "'.");
            System.out.println("  Its password, shown this once: " + password);
            System.out.println();
            return new Outcome(true, password);
        }
        return new Outcome(true, null);
    }

    /**
     * Every organization's console and portal client, sending users back to this server's public URL: organizations
     * made before the client existed gain it, and a changed {@code --public-url} moves its redirect URIs.
     */
    private void registerWebClients() {
        store.write(tx -> {
            tx.organizations().list().forEach(org -> identity.registerWebClient(tx, org));
            return null;
        });
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
