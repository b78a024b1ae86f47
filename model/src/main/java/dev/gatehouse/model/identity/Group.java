package dev.gatehouse.model.identity;

import java.time.Instant;
import java.util.Set;

/**
 * A group of an organization's built-in identity provider: users as members, and roles that every member holds
 * for as long as they are one, besides their own.
 *
 * @param members the usernames of the members
 * @param roles   the names of the roles assigned to the group
 */
public record Group(String id, String orgId, String name, Set<String> members, Set<String> roles,
                    Instant createdAt) {

    public Group {
        members = Set.copyOf(members);
        roles = Set.copyOf(roles);
    }
}
