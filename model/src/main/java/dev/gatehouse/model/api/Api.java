package dev.gatehouse.model.api;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Lifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An API as its publisher edits it. What the gateways serve is a frozen {@link ApiRevision} of it.
 *
 * @param handle   a slug of the name, used in fully qualified scopes ({@code urn:{org}:{handle}:{permission}})
 * @param context  the path the API is served under, for example {@code /orders}
 * @param backends the backend URL per environment
 * @param forwardAuthorization whether the gateway passes the caller's {@code Authorization} header on to the
 *                             backend; by default it does not, so the caller's token never reaches the backend
 * @param corsOrigins          the browser origins ({@code https://app.example.com}, or {@code *} for any) allowed
 *                             to call the API cross-origin; empty: the gateway answers no CORS
 */
public record Api(
        String id,
        String orgId,
        String name,
        String handle,
        String version,
        String context,
        String description,
        Lifecycle lifecycle,
        Map<Environment, String> backends,
        List<Permission> permissions,
        List<Resource> resources,
        Instant createdAt,
        Instant updatedAt,
        boolean forwardAuthorization,
        Set<String> corsOrigins) {

    public Api {
        backends = Map.copyOf(backends);
        permissions = List.copyOf(permissions);
        resources = List.copyOf(resources);
        corsOrigins = corsOrigins == null ? Set.of() : Set.copyOf(corsOrigins);
    }

    public Optional<Permission> permission(String value) {
        return permissions.stream().filter(p -> p.value().equals(value)).findFirst();
    }

    public Optional<Resource> resource(String resourceId) {
        return resources.stream().filter(r -> r.id().equals(resourceId)).findFirst();
    }
}
