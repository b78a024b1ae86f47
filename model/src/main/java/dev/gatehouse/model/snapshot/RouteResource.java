package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.RateLimit;
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
 * @param limit          the tier of this resource, shared by every application calling it; null when unlimited
 */
public record RouteResource(String method, String pathTemplate, Set<String> requiredScopes, RateLimit limit) {

    public RouteResource {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathTemplate, "pathTemplate");
        requiredScopes = Set.copyOf(requiredScopes);
    }

    /** A resource without a tier of its own. */
    public RouteResource(String method, String pathTemplate, Set<String> requiredScopes) {
        this(method, pathTemplate, requiredScopes, null);
    }
}
