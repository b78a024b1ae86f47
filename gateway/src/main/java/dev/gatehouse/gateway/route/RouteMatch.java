package dev.gatehouse.gateway.route;

import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** The outcome of looking a call up in a {@link RouteTable}. */
public sealed interface RouteMatch {

    /**
     * A resource of an API serves the call.
     *
     * @param resourceName how metrics, analytics and logs name the resource: its method and path template,
     *                     {@code GET /orders/{id}}, made once when the table is compiled
     * @param resourcePath the raw (still percent-encoded) request path below the API's base path, as it goes to the
     *                     backend: {@code /orders/42} for {@code /acme/orders/v1/orders/42}; empty when the call
     *                     names the base path itself
     */
    record Found(RoutedApi api, RouteResource resource, String resourceName, String resourcePath)
            implements RouteMatch {

        public Found {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(resourceName, "resourceName");
            Objects.requireNonNull(resourcePath, "resourcePath");
        }
    }

    /** The path names a resource, but not with this method; {@code allowedMethods} iterates in sorted order. */
    record MethodNotAllowed(Set<String> allowedMethods) implements RouteMatch {

        public MethodNotAllowed {
            allowedMethods = Collections.unmodifiableSortedSet(new TreeSet<>(allowedMethods));
        }
    }

    /** No resource of any routed API has this path. */
    record NotFound() implements RouteMatch {
    }
}
