package dev.gatehouse.model.api;

import java.util.Set;

/**
 * A resource of an API: an HTTP method and a path template such as {@code /orders/{id}}, protected by
 * permissions (a token needs any one of their scopes).
 */
public record Resource(String id, String method, String path, Set<String> permissions) {

    public Resource {
        permissions = Set.copyOf(permissions);
    }
}
