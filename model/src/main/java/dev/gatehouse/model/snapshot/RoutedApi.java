package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.RateLimit;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An API revision as deployed to one environment.
 *
 * <p>The gateway serves it under {@code /{orgHandle}{context}/{version}}: with organization {@code acme},
 * context {@code /orders} and version {@code v1}, a call to {@code /acme/orders/v1/orders/42} matches the
 * resource {@code GET /orders/{id}} and goes to {@code backendUrl + "/orders/42"}.
 *
 * @param context    starts with a slash, no trailing slash (for example {@code /orders})
 * @param backendUrl           the environment's backend, without trailing slash
 * @param forwardAuthorization whether calls reach the backend with the caller's {@code Authorization} header
 * @param corsOrigins          the browser origins allowed cross-origin ({@code *} for any); empty: no CORS
 * @param limit                the tier of the API as a whole, shared by every application calling it; null when
 *                             unlimited
 * @param backendJwtHeader     the request header in which the backend gets a JWT with the caller's claims, signed
 *                             by the gateway; null when it gets none
 * @param apiKeyHeader         the request header in which callers may present an application's API key instead of
 *                             a bearer token; null when the API takes no API keys
 */
public record RoutedApi(
        String apiId,
        String orgHandle,
        String name,
        String context,
        String version,
        String backendUrl,
        Lifecycle lifecycle,
        List<RouteResource> resources,
        boolean forwardAuthorization,
        Set<String> corsOrigins,
        RateLimit limit,
        String backendJwtHeader,
        String apiKeyHeader) {

    public RoutedApi {
        Objects.requireNonNull(apiId, "apiId");
        Objects.requireNonNull(orgHandle, "orgHandle");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(backendUrl, "backendUrl");
        Objects.requireNonNull(lifecycle, "lifecycle");
        resources = List.copyOf(resources);
        corsOrigins = Set.copyOf(corsOrigins);
    }

    /** An API without a tier of its own, whose backend gets no JWT. */
    public RoutedApi(String apiId, String orgHandle, String name, String context, String version, String backendUrl,
                     Lifecycle lifecycle, List<RouteResource> resources, boolean forwardAuthorization,
                     Set<String> corsOrigins) {
        this(apiId, orgHandle, name, context, version, backendUrl, lifecycle, resources, forwardAuthorization,
                corsOrigins, null, null, null);
    }

    /** The path prefix the gateway serves this API under. */
    public String basePath() {
        return "/" + orgHandle + context + "/" + version;
    }
}
