package dev.gatehouse.model.identity;

import java.util.Set;

/**
 * A role of an organization. The roles {@code admin}, {@code publisher} and {@code subscriber} govern the
 * management API; any role may allow scopes, which bound what a user's tokens can carry.
 */
public record Role(String id, String orgId, String name, Set<String> scopes) {

    public static final String ADMIN = "admin";
    public static final String PUBLISHER = "publisher";
    public static final String SUBSCRIBER = "subscriber";

    public Role {
        scopes = Set.copyOf(scopes);
    }
}
