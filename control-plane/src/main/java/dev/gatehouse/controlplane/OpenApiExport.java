package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.Deployment;
import dev.gatehouse.model.api.Resource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API as an OpenAPI 3.0.3 document, for the developer portal's try-it console and for client generators: the
 * API's gateway URL per environment it is deployed to, one operation per resource, and how to get a token that
 * passes the gateway (the organization's token endpoint, client credentials, the resource's qualified scopes).
 */
final class OpenApiExport {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^{}/]+)}");
    private static final String OAUTH2 = "oauth2";
    private static final String BEARER = "bearer";

    private final Views views;

    OpenApiExport(Views views) {
        this.views = views;
    }

    /**
     * @param server a relative URL that replaces the gateway URLs as the document's one server, or null; the
     *               caller checks it with {@link #checkRelativeServer}
     */
    JsonObject document(Organization org, Api api, List<Deployment> deployments, String server) {
        JsonObject paths = new JsonObject();
        for (Resource resource : api.resources()) {
            JsonObject pathItem = paths.getJsonObject(resource.path());
            if (pathItem == null) {
                pathItem = new JsonObject();
                paths.put(resource.path(), pathItem);
            }
            pathItem.put(resource.method().toLowerCase(Locale.ROOT), operation(org, api, resource));
        }
        return new JsonObject()
                .put("openapi", "3.0.3")
                .put("info", new JsonObject()
                        .put("title", api.name())
                        .put("version", api.version())
                        .put("description", api.description()))
                .put("servers", server == null ? gatewayServers(org, api, deployments)
                        : new JsonArray().add(new JsonObject().put("url", server)))
                .put("paths", paths)
                .put("components", new JsonObject().put("securitySchemes", new JsonObject()
                        .put(OAUTH2, oauth2Scheme(org, api))
                        .put(BEARER, new JsonObject().put("type", "http").put("scheme", "bearer")
                                .put("bearerFormat", "JWT"))));
    }

    /**
     * A server URL must stay on the caller's origin: a path, without {@code //} (which a browser reads as another
     * host), backslashes (which it reads as slashes), {@code ..} or a scheme.
     *
     * @throws Problem naming {@code server} otherwise
     */
    static void checkRelativeServer(String server) {
        if (!server.startsWith("/") || server.contains("//") || server.contains("\\") || server.contains("..")
                || server.contains(":") || server.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw Problem.invalid("server",
                    "must be a relative URL starting with '/', without '//', '..', a scheme, backslashes or spaces");
        }
    }

    private JsonArray gatewayServers(Organization org, Api api, List<Deployment> deployments) {
        JsonArray servers = new JsonArray();
        deployments.forEach(deployment -> servers.add(new JsonObject()
                .put("url", views.invocationUrl(org, api, deployment.environment()))
                .put("description", deployment.environment().wireName())));
        return servers;
    }

    private JsonObject operation(Organization org, Api api, Resource resource) {
        JsonObject operation = new JsonObject()
                .put("security", new JsonArray()
                        .add(new JsonObject().put(OAUTH2, views.resource(org, api, resource).getJsonArray("scopes")))
                        .add(new JsonObject().put(BEARER, new JsonArray())))
                .put("responses", new JsonObject().put("default", new JsonObject()
                        .put("description", "The backend's answer, or the gateway's problem details when it refuses")));
        JsonArray parameters = new JsonArray();
        Matcher matcher = PATH_PARAMETER.matcher(resource.path());
        while (matcher.find()) {
            parameters.add(new JsonObject().put("name", matcher.group(1)).put("in", "path").put("required", true)
                    .put("schema", new JsonObject().put("type", "string")));
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        return operation;
    }

    private JsonObject oauth2Scheme(Organization org, Api api) {
        JsonObject scopes = new JsonObject();
        api.permissions().forEach(permission -> {
            JsonObject view = views.permission(org, api, permission);
            scopes.put(view.getString("scope"), view.getString("description"));
        });
        return new JsonObject().put("type", OAUTH2).put("flows", new JsonObject()
                .put("clientCredentials", new JsonObject()
                        .put("tokenUrl", views.tokenEndpoint(org))
                        .put("scopes", scopes)));
    }
}
