package dev.gatehouse.ui;

import static dev.gatehouse.ui.ManagementClient.encode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console: the publisher's APIs (resources, permissions, deployments, lifecycle, backends, usage) and the
 * admin's identity providers, environments, rate-limit tiers, users and roles. Every action is one or a few
 * management-API calls made as the signed-in user.
 */
final class ConsolePages {

    private static final String AREA = "console";

    private final WebUi web;

    ConsolePages(WebUi web) {
        this.web = web;
    }

    void mount(Router router) {
        String base = "/console/:org";
        router.get(base).handler(web.signedIn(AREA, visit -> Outcome.redirect(apisPage(visit), null)));
        router.get(base + "/apis").handler(web.signedIn(AREA, this::apis));
        router.post(base + "/apis").handler(web.signedIn(AREA, this::createApi));
        router.post(base + "/apis/import").handler(web.signedIn(AREA, this::importApi));
        router.get(base + "/apis/:apiId").handler(web.signedIn(AREA, this::api));
        router.get(base + "/apis/:apiId/usage.json").handler(web.signedIn(AREA, this::usage));
        router.post(base + "/apis/:apiId/permissions").handler(web.signedIn(AREA, this::addPermission));
        router.post(base + "/apis/:apiId/permissions/remove").handler(web.signedIn(AREA, this::removePermission));
        router.post(base + "/apis/:apiId/resources").handler(web.signedIn(AREA, this::addResource));
        router.post(base + "/apis/:apiId/resource-permissions").handler(web.signedIn(AREA, this::selectPermissions));
        router.post(base + "/apis/:apiId/deploy").handler(web.signedIn(AREA, this::deploy));
        router.post(base + "/apis/:apiId/promote").handler(web.signedIn(AREA, this::promote));
        router.post(base + "/apis/:apiId/lifecycle").handler(web.signedIn(AREA, this::changeLifecycle));
        router.post(base + "/apis/:apiId/backends").handler(web.signedIn(AREA, this::updateBackends));
        router.get(base + "/admin/identity-providers").handler(web.signedIn(AREA, this::identityProviders));
        router.post(base + "/admin/identity-providers").handler(web.signedIn(AREA, this::registerIdentityProvider));
        router.post(base + "/admin/identity-providers/:idpId/refresh").handler(web.signedIn(AREA, this::refreshJwks));
        router.post(base + "/admin/identity-providers/:idpId/delete").handler(web.signedIn(AREA, this::deleteIdentityProvider));
        router.get(base + "/admin/environments").handler(web.signedIn(AREA, this::environments));
        router.get(base + "/admin/tiers").handler(web.signedIn(AREA, this::tiers));
        router.post(base + "/admin/tiers").handler(web.signedIn(AREA, this::createTier));
        router.get(base + "/admin/users").handler(web.signedIn(AREA, this::users));
        router.post(base + "/admin/users").handler(web.signedIn(AREA, this::createUser));
        router.post(base + "/admin/users/:username/roles").handler(web.signedIn(AREA, this::setUserRoles));
        router.post(base + "/admin/roles").handler(web.signedIn(AREA, this::createRole));
        router.post(base + "/admin/groups").handler(web.signedIn(AREA, this::createGroup));
        router.post(base + "/admin/groups/:group/members").handler(web.signedIn(AREA, this::setGroupMembers));
        router.post(base + "/admin/groups/:group/roles").handler(web.signedIn(AREA, this::setGroupRoles));
        router.post(base + "/admin/groups/:group/delete").handler(web.signedIn(AREA, this::deleteGroup));
    }

    // APIs

    private Outcome apis(Visit visit) {
        return Outcome.page("APIs", "console/apis.jte", Map.of("apis", visit.api().array(visit.orgApi() + "/apis")));
    }

    private Outcome createApi(Visit visit) {
        JsonObject backends = new JsonObject();
        putIfGiven(backends, "development", visit.form("developmentBackend"));
        putIfGiven(backends, "production", visit.form("productionBackend"));
        JsonObject body = new JsonObject()
                .put("name", visit.form("name"))
                .put("version", visit.form("version"))
                .put("context", visit.form("context"))
                .put("backends", backends);
        putIfGiven(body, "description", visit.form("description"));
        JsonObject created = (JsonObject) visit.api().post(visit.orgApi() + "/apis", body);
        return Outcome.redirect(apiPage(visit, created.getString("id")), "Created " + created.getString("name") + ".");
    }

    private Outcome importApi(Visit visit) throws IOException {
        JsonObject body = new JsonObject();
        List<FileUpload> files = visit.ctx().fileUploads();
        FileUpload file = files.stream().filter(f -> f.size() > 0).findFirst().orElse(null);
        if (file != null) {
            body.put("document", Files.readString(Path.of(file.uploadedFileName()), StandardCharsets.UTF_8));
        } else {
            putIfGiven(body, "url", visit.form("url"));
        }
        putIfGiven(body, "context", visit.form("context"));
        JsonObject created = (JsonObject) visit.api().post(visit.orgApi() + "/apis/import", body);
        return Outcome.redirect(apiPage(visit, created.getString("id")), "Imported " + created.getString("name") + ".");
    }

    private Outcome api(Visit visit) {
        JsonObject api = visit.api().object(apiPath(visit));
        List<JsonObject> tiers = Views.objects(visit.api().array(visit.orgApi() + "/tiers"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("api", api);
        params.put("tiers", tiers);
        return Outcome.page(api.getString("name") + " " + api.getString("version"), "console/api.jte", params);
    }

    private Outcome usage(Visit visit) {
        JsonObject analytics = visit.api().object(visit.orgApi() + "/analytics/apis?groupBy=resource&apiId="
                + encode(visit.path("apiId")));
        return json(analytics);
    }

    private Outcome addPermission(Visit visit) {
        JsonObject body = new JsonObject().put("value", visit.form("value"));
        putIfGiven(body, "description", visit.form("description"));
        visit.api().post(apiPath(visit) + "/permissions", body);
        return Outcome.redirect(apiPage(visit, visit.path("apiId")), "Added the permission " + visit.form("value") + ".");
    }

    private Outcome removePermission(Visit visit) {
        visit.api().delete(apiPath(visit) + "/permissions/" + encode(String.valueOf(visit.form("value"))));
        return Outcome.redirect(apiPage(visit, visit.path("apiId")), "Removed the permission " + visit.form("value") + ".");
    }

    private Outcome addResource(Visit visit) {
        visit.api().post(apiPath(visit) + "/resources", new JsonObject()
                .put("method", visit.form("method")).put("path", visit.form("path")));
        return Outcome.redirect(apiPage(visit, visit.path("apiId")),
                "Added the resource " + visit.form("method") + " " + visit.form("path") + ".");
    }

    /**
     * The Select Permissions control under every resource, saved together; with "Save and Deploy" the API is then
     * deployed to the development environment, as the guide does.
     */
    private Outcome selectPermissions(Visit visit) {
        JsonObject api = visit.api().object(apiPath(visit));
        for (JsonObject resource : Views.objects(api.getJsonArray("resources"))) {
            String id = resource.getString("id");
            List<String> chosen = visit.formAll("permissions-" + id);
            if (!chosen.equals(Views.strings(resource.getJsonArray("permissions")))) {
                visit.api().put(apiPath(visit) + "/resources/" + encode(id) + "/permissions",
                        new JsonObject().put("permissions", new JsonArray(List.copyOf(chosen))));
            }
        }
        if ("deploy".equals(visit.form("action"))) {
            visit.api().post(apiPath(visit) + "/deployments", new JsonObject().put("environment", "development"));
            return Outcome.redirect(apiPage(visit, visit.path("apiId")), "Saved and deployed to development.");
        }
        return Outcome.redirect(apiPage(visit, visit.path("apiId")), "Saved the permissions of each resource.");
    }

    private Outcome deploy(Visit visit) {
        String environment = visit.form("environment");
        visit.api().post(apiPath(visit) + "/deployments", new JsonObject().put("environment", environment));
        return Outcome.redirect(apiPage(visit, visit.path("apiId")), "Deployed to " + environment + ".");
    }

    private Outcome promote(Visit visit) {
        visit.api().post(apiPath(visit) + "/promotions", new JsonObject().put("from", "development").put("to", "production"));
        return Outcome.redirect(apiPage(visit, visit.path("apiId")), "Promoted from development to production.");
    }

    private Outcome changeLifecycle(Visit visit) {
        String state = visit.form("state");
        visit.api().post(apiPath(visit) + "/lifecycle", new JsonObject().put("state", state));
        return Outcome.redirect(apiPage(visit, visit.path("apiId")), "The API is now " + state + ".");
    }

    private Outcome updateBackends(Visit visit) {
        JsonObject backends = new JsonObject();
        putIfGiven(backends, "development", visit.form("developmentBackend"));
        putIfGiven(backends, "production", visit.form("productionBackend"));
        visit.api().patch(apiPath(visit), new JsonObject().put("backends", backends));
        return Outcome.redirect(apiPage(visit, visit.path("apiId")), "Saved the backend URLs.");
    }

    // Administration

    private Outcome identityProviders(Visit visit) {
        return Outcome.page("Identity providers", "console/identity-providers.jte",
                Map.of("providers", visit.api().array(visit.orgApi() + "/identity-providers")));
    }

    private Outcome registerIdentityProvider(Visit visit) {
        JsonObject body = new JsonObject().put("name", visit.form("name"));
        putIfGiven(body, "discoveryUrl", visit.form("discoveryUrl"));
        putIfGiven(body, "audience", visit.form("audience"));
        JsonObject claims = new JsonObject();
        String clientIdClaims = visit.form("clientIdClaims");
        if (clientIdClaims != null) {
            claims.put("clientId", new JsonArray(List.of((Object[]) clientIdClaims.split("[,\\s]+"))));
        }
        putIfGiven(claims, "scope", visit.form("scopeClaim"));
        if (!claims.isEmpty()) {
            body.put("claims", claims);
        }
        visit.api().post(visit.orgApi() + "/identity-providers", body);
        return Outcome.redirect(adminPage(visit, "identity-providers"), "Registered " + visit.form("name") + ".");
    }

    private Outcome refreshJwks(Visit visit) {
        visit.api().post(visit.orgApi() + "/identity-providers/" + encode(visit.path("idpId")) + "/jwks/refresh", null);
        return Outcome.redirect(adminPage(visit, "identity-providers"), "Fetched the provider's keys again.");
    }

    private Outcome deleteIdentityProvider(Visit visit) {
        visit.api().delete(visit.orgApi() + "/identity-providers/" + encode(visit.path("idpId")));
        return Outcome.redirect(adminPage(visit, "identity-providers"), "Removed the identity provider.");
    }

    private Outcome environments(Visit visit) {
        JsonObject org = visit.api().object(visit.orgApi());
        return Outcome.page("Environments", "console/environments.jte",
                Map.of("gatewayUrls", web.config().gatewayUrls(), "organization", org));
    }

    private Outcome tiers(Visit visit) {
        return Outcome.page("Rate-limit tiers", "console/tiers.jte",
                Map.of("tiers", visit.api().array(visit.orgApi() + "/tiers")));
    }

    private Outcome createTier(Visit visit) {
        JsonObject body = new JsonObject()
                .put("name", visit.form("name"))
                .put("requests", number(visit.form("requests")))
                .put("windowSeconds", number(visit.form("windowSeconds")));
        if (visit.form("burst") != null) {
            body.put("burst", number(visit.form("burst")));
        }
        visit.api().post(visit.orgApi() + "/tiers", body);
        return Outcome.redirect(adminPage(visit, "tiers"), "Created the tier " + visit.form("name") + ".");
    }

    private Outcome users(Visit visit) {
        return Outcome.page("Users, groups and roles", "console/users.jte", Map.of(
                "users", visit.api().array(visit.orgApi() + "/idp/users"),
                "groups", visit.api().array(visit.orgApi() + "/idp/groups"),
                "roles", visit.api().array(visit.orgApi() + "/idp/roles")));
    }

    private Outcome createUser(Visit visit) {
        visit.api().post(visit.orgApi() + "/idp/users", new JsonObject()
                .put("username", visit.form("username"))
                .put("password", visit.ctx().request().getFormAttribute("password"))
                .put("roles", new JsonArray(List.copyOf(visit.formAll("roles")))));
        return Outcome.redirect(adminPage(visit, "users"), "Created the user " + visit.form("username") + ".");
    }

    private Outcome setUserRoles(Visit visit) {
        visit.api().put(visit.orgApi() + "/idp/users/" + encode(visit.path("username")) + "/roles",
                new JsonObject().put("roles", new JsonArray(List.copyOf(visit.formAll("roles")))));
        return Outcome.redirect(adminPage(visit, "users"), "Saved the roles of " + visit.path("username") + ".");
    }

    private Outcome createRole(Visit visit) {
        String scopes = visit.form("scopes");
        visit.api().post(visit.orgApi() + "/idp/roles", new JsonObject()
                .put("name", visit.form("name"))
                .put("scopes", new JsonArray(scopes == null ? List.of() : List.of((Object[]) scopes.split("\\s+")))));
        return Outcome.redirect(adminPage(visit, "users"), "Created the role " + visit.form("name") + ".");
    }

    private Outcome createGroup(Visit visit) {
        visit.api().post(visit.orgApi() + "/idp/groups", new JsonObject().put("name", visit.form("name")));
        return Outcome.redirect(adminPage(visit, "users"), "Created the group " + visit.form("name") + ".");
    }

    private Outcome setGroupMembers(Visit visit) {
        visit.api().put(groupPath(visit) + "/members",
                new JsonObject().put("usernames", new JsonArray(List.copyOf(visit.formAll("members")))));
        return Outcome.redirect(adminPage(visit, "users"), "Saved the members of " + visit.path("group") + ".");
    }

    private Outcome setGroupRoles(Visit visit) {
        visit.api().put(groupPath(visit) + "/roles",
                new JsonObject().put("roles", new JsonArray(List.copyOf(visit.formAll("roles")))));
        return Outcome.redirect(adminPage(visit, "users"), "Saved the roles of " + visit.path("group") + ".");
    }

    private Outcome deleteGroup(Visit visit) {
        visit.api().delete(groupPath(visit));
        return Outcome.redirect(adminPage(visit, "users"), "Deleted the group " + visit.path("group") + ".");
    }

    // Helpers

    private static String groupPath(Visit visit) {
        return visit.orgApi() + "/idp/groups/" + encode(visit.path("group"));
    }

    /** A number from a form, or the text as it is so that the management API names the field that is wrong. */
    private static Object number(String text) {
        try {
            return text == null ? null : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static Outcome json(Object value) {
        return new Outcome.Raw(200, "application/json", String.valueOf(value).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static void putIfGiven(JsonObject object, String key, String value) {
        if (value != null) {
            object.put(key, value);
        }
    }

    private static String apiPath(Visit visit) {
        return visit.orgApi() + "/apis/" + encode(visit.path("apiId"));
    }

    private static String apisPage(Visit visit) {
        return "/console/" + visit.visitor().org() + "/apis";
    }

    private static String apiPage(Visit visit, String apiId) {
        return apisPage(visit) + "/" + encode(apiId);
    }

    private static String adminPage(Visit visit, String page) {
        return "/console/" + visit.visitor().org() + "/admin/" + page;
    }
}
