package dev.gatehouse.model.identity;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A user of an organization's built-in identity provider; the password is kept only as a slow salted hash.
 *
 * @param roles      the roles assigned to the user directly
 * @param groups     the names of the groups the user belongs to
 * @param groupRoles the roles the user holds through those groups
 */
public record User(String id, String orgId, String username, String passwordHash, Set<String> roles,
                   Set<String> groups, Set<String> groupRoles, Instant createdAt) {

    public User {
        roles = Set.copyOf(roles);
        groups = Set.copyOf(groups);
        groupRoles = Set.copyOf(groupRoles);
    }

    /** A user in no group. */
    public User(String id, String orgId, String username, String passwordHash, Set<String> roles, Instant createdAt) {
        this(id, orgId, username, passwordHash, roles, Set.of(), Set.of(), createdAt);
    }

    /** The user's own roles and those of their groups, sorted by name. */
    public Set<String> effectiveRoles() {
        Set<String> effective = new TreeSet<>(roles);
        effective.addAll(groupRoles);
        return effective;
    }

    /** Whether the user holds the role, directly or through a group. */
    public boolean hasRole(String role) {
        return roles.contains(role) || groupRoles.contains(role);
    }
}
