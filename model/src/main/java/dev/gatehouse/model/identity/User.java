package dev.gatehouse.model.identity;

import java.time.Instant;
import java.util.Set;

/** A user of an organization's built-in identity provider; the password is kept only as a slow salted hash. */
public record User(String id, String orgId, String username, String passwordHash, Set<String> roles, Instant createdAt) {

    public User {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
