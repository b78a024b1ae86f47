package dev.gatehouse.model.snapshot;

import java.util.Objects;
import java.util.Set;

/**
 * One resource of a deployed API.
 *
 * @param method         an HTTP method in upper case
 * @param pathTemplate   a path below the API's base path with {@code {name}} segments for parameters, for
 *                       example {@code /orders/{id}}
 * @param requiredScopes fully qualified scopes; a token needs any one of them. Empty means any valid token of a
 *                       subscribed application passes
 */
public record RouteResource(String method, String pathTemplate, Set<String> requiredScopes) {

    public RouteResource {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathTemplate, "pathTemplate");
        requiredScopes = Set.copyOf(requiredScopes);
    }
}
