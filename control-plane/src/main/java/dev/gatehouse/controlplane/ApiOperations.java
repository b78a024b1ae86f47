package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.ApiRevision;
import dev.gatehouse.model.api.Deployment;
import dev.gatehouse.model.api.Permission;
import dev.gatehouse.model.api.Resource;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The publisher's operations: APIs, their permissions (OAuth 2.0 scopes) and resources, save-and-deploy,
 * promotion and lifecycle. Every change to an API's permissions is mirrored into the built-in identity
 * provider as an API resource {@code urn:{org}:{api}} with the same fully qualified scopes, so that the
 * built-in provider can grant them.
 */
final class ApiOperations {

    private final Store store;
    private final Views views;
    private final OpenApiExport openApiExport;
    private final OpenApiImport openApiImport;

    ApiOperations(Store store, Views views, OpenApiExport openApiExport, OpenApiImport openApiImport) {
        this.store = store;
        this.views = views;
        this.openApiExport = openApiExport;
        this.openApiImport = openApiImport;
    }

    Map<String, Operation> operations() {
        return Map.ofEntries(
                Map.entry("listApis", this::listApis),
                Map.entry("createApi", this::createApi),
                Map.entry("importApi", this::importApi),
                Map.entry("getApi", this::getApi),
                Map.entry("getApiOpenApi", this::getApiOpenApi),
                Map.entry("updateApi", this::updateApi),
                Map.entry("deleteApi", this::deleteApi),
                Map.entry("listPermissions", this::listPermissions),
                Map.entry("addPermission", this::addPermission),
                Map.entry("removePermission", this::removePermission),
                Map.entry("addResource", this::addResource),
                Map.entry("removeResource", this::removeResource),
                Map.entry("setResourcePermissions", this::setResourcePermissions),
                Map.entry("listDeployments", this::listDeployments),
                Map.entry("deployApi", this::deployApi),
                Map.entry("promoteApi", this::promoteApi),
                Map.entry("changeLifecycle", this::changeLifecycle));
    }

    private Reply listApis(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            boolean publisher = Lookups.canManageApis(request.caller(), org);
            List<Api> apis = tx.apis().list(org.id()).stream()
                    .filter(api -> publisher || api.lifecycle() == Lifecycle.PUBLISHED
                            || api.lifecycle() == Lifecycle.DEPRECATED)
                    .toList();
            return Reply.ok(Views.array(apis, api -> views.api(org, api, tx.deployments().deployments(api.id()))));
        });
    }

    private Reply getApi(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(views.api(org, api, tx.deployments().deployments(api.id())));
        });
    }

    private Reply getApiOpenApi(Request request) {
        String server = request.query("server");
        if (server != null) {
            OpenApiExport.checkRelativeServer(server);
        }
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(openApiExport.document(org, api, tx.deployments().deployments(api.id()), server));
        });
    }

    private Reply createApi(Request request) {
        return create(request, request.body());
    }

    /**
     * Creates the API an OpenAPI document describes, as createApi would from the body the document gives. The
     * caller's role is checked before the document is fetched, so that only publishers make the server fetch URLs.
     */
    private Reply importApi(Request request) {
        JsonObject body = request.body();
        store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            request.caller().require(org, Role.PUBLISHER);
            return org;
        });
        String document = body.getString("document");
        String url = body.getString("url");
        if ((document == null) == (url == null)) {
            throw Problem.invalid(document == null ? "document" : "url",
                    document == null ? "give the document, or its url" : "give the document or its url, not both");
        }
        return create(request, openApiImport.newApi(document != null ? document : openApiImport.fetch(url), body));
    }

    /** createApi, for a body as its contract describes it. */
    private Reply create(Request request, JsonObject body) {
        String context = body.getString("context");
        String version = body.getString("version");
        List<PermissionInput> permissions = permissionInputs(body.getJsonArray("permissions", new JsonArray()));
        Set<String> values = new HashSet<>();
        for (int i = 0; i < permissions.size(); i++) {
            if (!values.add(permissions.get(i).value())) {
                throw Problem.invalid("permissions." + i + ".value", "permission '" + permissions.get(i).value()
                        + "' is given twice");
            }
        }
        JsonArray resources = body.getJsonArray("resources", new JsonArray());
        for (int i = 0; i < resources.size(); i++) {
            checkPermissionsExist("resources." + i + ".permissions",
                    strings(resources.getJsonObject(i).getJsonArray("permissions")), values);
        }
        Map<Environment, String> backends = backends(body.getJsonObject("backends"));
        List<Problem.FieldError> missingBackends = Arrays.stream(Environment.values())
                .filter(environment -> !backends.containsKey(environment))
                .map(environment -> new Problem.FieldError("backends." + environment.wireName(), "is required"))
                .toList();
        if (!missingBackends.isEmpty()) {
            throw Problem.invalid(missingBackends);
        }
        try {
            return store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                request.caller().require(org, Role.PUBLISHER);
                Api api = tx.apis().create(org.id(), body.getString("name"), handleOf(body.getString("name")),
                        version, context, body.getString("description", ""), backends);
                if (body.getBoolean("forwardAuthorization", false)) {
                    tx.apis().setForwardAuthorization(api.id(), true);
                }
                if (body.containsKey("corsOrigins")) {
                    tx.apis().setCorsOrigins(api.id(), strings(body.getJsonArray("corsOrigins")));
                }
                permissions.forEach(p -> tx.apis().addPermission(api.id(), new Permission(p.value(), p.description())));
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < resources.size(); i++) {
                    JsonObject resource = resources.getJsonObject(i);
                    String method = resource.getString("method");
                    String path = resource.getString("path");
                    if (!seen.add(method + " " + path)) {
                        throw Problem.invalid("resources." + i, "resource " + method + " " + path + " is given twice");
                    }
                    tx.apis().addResource(api.id(), method, path, strings(resource.getJsonArray("permissions")));
                }
                Api created = tx.apis().find(org.id(), api.id()).orElseThrow();
                mirrorScopes(tx, org, created.handle());
                return Reply.created(views.api(org, created, List.of()));
            });
        } catch (StoreConflictException conflict) {
            throw switch (conflict.constraint()) {
                case "apis_context_key" -> Problem.conflict("context",
                        "an API with context " + context + " and version " + version + " already exists");
                case "apis_handle_key" -> Problem.conflict("name",
                        "an API named like this with version " + version + " already exists");
                default -> conflict;
            };
        }
    }

    private Reply updateApi(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            Map<Environment, String> backends = new EnumMap<>(Environment.class);
            backends.putAll(api.backends());
            JsonObject changes = request.body().getJsonObject("backends", new JsonObject());
            backends.putAll(backends(changes));
            tx.apis().update(api.id(), request.body().getString("description", api.description()), backends);
            Boolean forwardAuthorization = request.body().getBoolean("forwardAuthorization");
            if (forwardAuthorization != null) {
                tx.apis().setForwardAuthorization(api.id(), forwardAuthorization);
            }
            if (request.body().containsKey("corsOrigins")) {
                tx.apis().setCorsOrigins(api.id(), strings(request.body().getJsonArray("corsOrigins")));
            }
            Api updated = tx.apis().find(org.id(), api.id()).orElseThrow();
            return Reply.ok(views.api(org, updated, tx.deployments().deployments(api.id())));
        });
    }

    private Reply deleteApi(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            tx.apis().delete(org.id(), api.id());
            mirrorScopes(tx, org, api.handle());
            return Reply.noContent();
        });
    }

    private Reply listPermissions(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(Views.array(api.permissions(), p -> views.permission(org, api, p)));
        });
    }

    private Reply addPermission(Request request) {
        String value = request.body().getString("value");
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            if (api.permission(value).isPresent()) {
                throw Problem.conflict("value", "the API already has the permission '" + value + "'");
            }
            Permission permission = new Permission(value, request.body().getString("description", ""));
            tx.apis().addPermission(api.id(), permission);
            mirrorScopes(tx, org, api.handle());
            return Reply.created(views.permission(org, api, permission));
        });
    }

    private Reply removePermission(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            String value = request.path("permission");
            if (api.permission(value).isEmpty()) {
                throw Problem.notFound("the API has no permission '" + value + "'");
            }
            tx.apis().removePermission(api, value);
            mirrorScopes(tx, org, api.handle());
            return Reply.noContent();
        });
    }

    private Reply addResource(Request request) {
        JsonObject body = request.body();
        String method = body.getString("method");
        String path = body.getString("path");
        try {
            return store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                Api api = editableApi(tx, request, org);
                Set<String> permissions = strings(body.getJsonArray("permissions"));
                checkPermissionsExist("permissions", permissions, permissionValues(api));
                Resource resource = tx.apis().addResource(api.id(), method, path, permissions);
                return Reply.created(views.resource(org, api, resource));
            });
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("api_resources_route_key")) {
                throw Problem.conflict("path", "the API already has the resource " + method + " " + path);
            }
            throw conflict;
        }
    }

    private Reply removeResource(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            if (!tx.apis().removeResource(api.id(), request.path("resourceId"))) {
                throw Problem.notFound("the API has no resource '" + request.path("resourceId") + "'");
            }
            return Reply.noContent();
        });
    }

    private Reply setResourcePermissions(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            Resource resource = api.resource(request.path("resourceId"))
                    .orElseThrow(() -> Problem.notFound("the API has no resource '" + request.path("resourceId") + "'"));
            Set<String> permissions = strings(request.body().getJsonArray("permissions"));
            checkPermissionsExist("permissions", permissions, permissionValues(api));
            tx.apis().setResourcePermissions(resource.id(), permissions);
            Resource updated = new Resource(resource.id(), resource.method(), resource.path(), permissions);
            return Reply.ok(views.resource(org, api, updated));
        });
    }

    private Reply listDeployments(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(Views.array(tx.deployments().deployments(api.id()), d -> views.deployment(org, api, d)));
        });
    }

    private Reply deployApi(Request request) {
        Environment environment = Environment.fromWireName(request.body().getString("environment"));
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            requireDeployable(api, environment);
            ApiRevision revision = tx.deployments().createRevision(api);
            Deployment deployment = tx.deployments().deploy(revision, environment);
            return Reply.created(views.deployment(org, api, deployment));
        });
    }

    private Reply promoteApi(Request request) {
        Environment from = Environment.fromWireName(request.body().getString("from"));
        Environment to = Environment.fromWireName(request.body().getString("to"));
        if (from == to) {
            throw Problem.invalid("to", "must differ from 'from'");
        }
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            ApiRevision revision = tx.deployments().deployedRevision(api.id(), from)
                    .orElseThrow(() -> Problem.conflict("from", "the API is not deployed to " + from.wireName()));
            requireDeployable(revision.definition(), to);
            Deployment deployment = tx.deployments().deploy(revision, to);
            return Reply.created(views.deployment(org, api, deployment));
        });
    }

    private Reply changeLifecycle(Request request) {
        Lifecycle target = Lifecycle.fromWireName(request.body().getString("state"));
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = editableApi(tx, request, org);
            if (api.lifecycle() != target) {
                if (!api.lifecycle().next().contains(target)) {
                    throw Problem.conflict("state", "an API cannot go from " + api.lifecycle().wireName() + " to "
                            + target.wireName());
                }
                tx.apis().setLifecycle(api.id(), target);
            }
            Api changed = tx.apis().find(org.id(), api.id()).orElseThrow();
            return Reply.ok(views.api(org, changed, tx.deployments().deployments(api.id())));
        });
    }

    private static Api editableApi(Repositories tx, Request request, Organization org) {
        Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
        request.caller().require(org, Role.PUBLISHER);
        return api;
    }

    private static void requireDeployable(Api api, Environment environment) {
        if (api.backends().get(environment) == null) {
            throw Problem.conflict("environment", "the API has no backend URL for " + environment.wireName());
        }
        if (api.resources().isEmpty()) {
            throw Problem.conflict("resources", "the API has no resources to deploy");
        }
    }

    /**
     * Keeps the built-in identity provider's API resource {@code urn:{org}:{handle}} defining exactly the
     * scopes of the organization's APIs with that handle (all their versions), and removes it with the last one.
     */
    private static void mirrorScopes(Repositories tx, Organization org, String apiHandle) {
        Set<String> scopes = new LinkedHashSet<>();
        String name = null;
        for (Api api : tx.apis().list(org.id())) {
            if (api.handle().equals(apiHandle)) {
                name = api.name();
                api.permissions().forEach(p -> scopes.add(Scopes.qualified(org.handle(), apiHandle, p.value())));
            }
        }
        String identifier = "urn:" + org.handle() + ":" + apiHandle;
        if (name == null) {
            tx.apiResources().findByIdentifier(org.id(), identifier)
                    .ifPresent(resource -> tx.apiResources().delete(org.id(), resource.id()));
        } else {
            tx.apiResources().upsert(org.id(), identifier, name, scopes);
        }
    }

    private static void checkPermissionsExist(String field, Set<String> permissions, Set<String> defined) {
        for (String permission : permissions) {
            if (!defined.contains(permission)) {
                throw Problem.invalid(field, "the API has no permission '" + permission + "'");
            }
        }
    }

    private static Set<String> permissionValues(Api api) {
        Set<String> values = new HashSet<>();
        api.permissions().forEach(p -> values.add(p.value()));
        return values;
    }

    private static Map<Environment, String> backends(JsonObject json) {
        Map<Environment, String> backends = new EnumMap<>(Environment.class);
        if (json != null) {
            for (Environment environment : Environment.values()) {
                String url = json.getString(environment.wireName());
                if (url != null) {
                    backends.put(environment, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                }
            }
        }
        return backends;
    }

    private record PermissionInput(String value, String description) {
    }

    private static List<PermissionInput> permissionInputs(JsonArray array) {
        return array.stream()
                .map(JsonObject.class::cast)
                .map(json -> new PermissionInput(json.getString("value"), json.getString("description", "")))
                .toList();
    }

    static Set<String> strings(JsonArray array) {
        Set<String> values = new LinkedHashSet<>();
        if (array != null) {
            array.forEach(value -> values.add((String) value));
        }
        return values;
    }

    /** A slug of the API's name for fully qualified scopes: {@code "Order Service"} becomes {@code order-service}. */
    static String handleOf(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("[^\\p{ASCII}]", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.isEmpty()) {
            throw Problem.invalid("name", "must contain at least one letter or digit");
        }
        return slug.length() > 100 ? slug.substring(0, 100) : slug;
    }
}
