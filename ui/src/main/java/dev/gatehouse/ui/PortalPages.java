package dev.gatehouse.ui;

import static dev.gatehouse.ui.ManagementClient.encode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The developer portal: the catalog of published APIs with their OpenAPI documents and a try-it console, and the
 * consumer's applications with their production and sandbox credentials, subscriptions and usage.
 */
final class PortalPages {

    private static final String AREA = "portal";
    private static final List<String> KEY_TYPES = List.of("production", "sandbox");

    private final WebUi web;
    private final TryItRelay relay;

    PortalPages(WebUi web, TryItRelay relay) {
        this.web = web;
        this.relay = relay;
    }

    void mount(Router router) {
        String base = "/portal/:org";
        router.get(base).handler(web.signedIn(AREA, visit -> Outcome.redirect(base(visit) + "/apis", null)));
        router.get(base + "/apis").handler(web.signedIn(AREA, this::catalog));
        router.get(base + "/apis/:apiId").handler(web.signedIn(AREA, this::api));
        router.get(base + "/apis/:apiId/openapi.json").handler(web.signedIn(AREA, this::openApi));
        router.post(base + "/apis/:apiId/subscribe").handler(web.signedIn(AREA, this::subscribeFromApi));
        router.route(base + "/try/:environment/*").handler(web.signedIn(AREA, relay::forward));
        router.get(base + "/applications").handler(web.signedIn(AREA, this::applications));
        router.post(base + "/applications").handler(web.signedIn(AREA, this::createApplication));
        router.get(base + "/applications/:appId").handler(web.signedIn(AREA, visit -> application(visit, null)));
        router.get(base + "/applications/:appId/usage.json").handler(web.signedIn(AREA, this::usage));
        router.post(base + "/applications/:appId/credentials").handler(web.signedIn(AREA, this::linkCredential));
        router.post(base + "/applications/:appId/credentials/generate").handler(web.signedIn(AREA, this::generateKeys));
        router.post(base + "/applications/:appId/credentials/:credentialId/delete")
                .handler(web.signedIn(AREA, this::unlinkCredential));
        router.post(base + "/applications/:appId/subscriptions").handler(web.signedIn(AREA, this::subscribe));
        router.post(base + "/applications/:appId/subscriptions/:subscriptionId/delete")
                .handler(web.signedIn(AREA, this::unsubscribe));
    }

    // The catalog

    /** Published APIs, filtered by a search over name, context, version and description. */
    private Outcome catalog(Visit visit) {
        String search = visit.query("q") == null ? "" : visit.query("q").trim();
        String needle = search.toLowerCase(Locale.ROOT);
        List<JsonObject> apis = Views.objects(visit.api().array(visit.orgApi() + "/apis")).stream()
                .filter(api -> "published".equals(api.getString("lifecycle")) || "deprecated".equals(api.getString("lifecycle")))
                .filter(api -> needle.isEmpty() || (api.getString("name") + " " + api.getString("context") + " "
                        + api.getString("version") + " " + api.getString("description", "")).toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        return Outcome.page("APIs", "portal/catalog.jte", Map.of("apis", apis, "search", search));
    }

    private Outcome api(Visit visit) {
        JsonObject api = visit.api().object(apiPath(visit));
        List<JsonObject> applications = Views.objects(visit.api().array(visit.orgApi() + "/applications"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("api", api);
        params.put("applications", applications);
        params.put("tiers", Views.objects(visit.api().array(visit.orgApi() + "/tiers")));
        params.put("environment", "production".equals(visit.query("environment")) ? "production" : "development");
        return Outcome.page(api.getString("name") + " " + api.getString("version"), "portal/api.jte", params);
    }

    /**
     * The API's OpenAPI document for Swagger UI, its server pointed at this portal's relay for the chosen
     * environment, so that try-it calls stay same-origin and reach only that environment's gateway.
     */
    private Outcome openApi(Visit visit) {
        JsonObject api = visit.api().object(apiPath(visit));
        String environment = "production".equals(visit.query("environment")) ? "production" : "development";
        String server = base(visit) + "/try/" + environment + "/" + visit.visitor().org() + api.getString("context")
                + "/" + api.getString("version");
        JsonObject document = visit.api().object(apiPath(visit) + "/openapi?server=" + encode(server));
        return ConsolePages.json(document);
    }

    private Outcome subscribeFromApi(Visit visit) {
        String applicationId = visit.form("applicationId");
        subscribe(visit, applicationId, visit.path("apiId"), visit.form("tier"));
        return Outcome.redirect(base(visit) + "/applications/" + encode(String.valueOf(applicationId)), "Subscribed.");
    }

    // Applications

    private Outcome applications(Visit visit) {
        return Outcome.page("Applications", "portal/applications.jte",
                Map.of("applications", visit.api().array(visit.orgApi() + "/applications")));
    }

    private Outcome createApplication(Visit visit) {
        JsonObject body = new JsonObject().put("name", visit.form("name"));
        ConsolePages.putIfGiven(body, "description", visit.form("description"));
        JsonObject created = (JsonObject) visit.api().post(visit.orgApi() + "/applications", body);
        return Outcome.redirect(base(visit) + "/applications/" + encode(created.getString("id")),
                "Created the application " + created.getString("name") + ".");
    }

    /**
     * An application's page: credentials per key type with the token endpoint and a curl for a token with the scopes
     * its subscriptions need, subscriptions, and usage.
     *
     * @param generated a credential just generated, whose secret is shown this once; or null
     */
    private Outcome application(Visit visit, JsonObject generated) {
        JsonObject app = visit.api().object(appPath(visit));
        List<JsonObject> credentials = Views.objects(visit.api().array(appPath(visit) + "/credentials"));
        List<JsonObject> subscriptions = Views.objects(visit.api().array(appPath(visit) + "/subscriptions"));
        List<JsonObject> providers = Views.objects(visit.api().array(visit.orgApi() + "/identity-providers"));
        List<JsonObject> apis = Views.objects(visit.api().array(visit.orgApi() + "/apis"));
        Set<String> subscribed = new TreeSet<>();
        subscriptions.forEach(s -> subscribed.add(s.getString("apiId")));
        Set<String> scopes = new TreeSet<>();
        List<JsonObject> subscribable = new ArrayList<>();
        for (JsonObject api : apis) {
            if (subscribed.contains(api.getString("id"))) {
                Views.objects(api.getJsonArray("resources")).forEach(r -> scopes.addAll(Views.strings(r.getJsonArray("scopes"))));
            } else if ("published".equals(api.getString("lifecycle"))) {
                subscribable.add(api);
            }
        }
        Map<String, JsonObject> byKeyType = new HashMap<>();
        credentials.forEach(c -> byKeyType.put(c.getString("keyType"), c));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("app", app);
        params.put("keyTypes", KEY_TYPES);
        params.put("credentials", byKeyType);
        params.put("subscriptions", subscriptions);
        params.put("subscribable", subscribable);
        params.put("tiers", Views.objects(visit.api().array(visit.orgApi() + "/tiers")));
        params.put("providers", providers);
        params.put("externalProviders", providers.stream().anyMatch(p -> "external".equals(p.getString("type"))));
        params.put("scopes", String.join(" ", scopes));
        params.put("generated", generated == null ? new JsonObject() : generated);
        return Outcome.page(app.getString("name"), "portal/application.jte", params);
    }

    private Outcome usage(Visit visit) {
        return ConsolePages.json(visit.api().object(visit.orgApi() + "/analytics/applications?applicationId="
                + encode(visit.path("appId"))));
    }

    private Outcome linkCredential(Visit visit) {
        JsonObject body = new JsonObject().put("keyType", visit.form("keyType")).put("clientId", visit.form("clientId"));
        ConsolePages.putIfGiven(body, "identityProvider", visit.form("identityProvider"));
        visit.api().post(appPath(visit) + "/credentials", body);
        return Outcome.redirect(appPage(visit), "Linked the client ID to the " + visit.form("keyType") + " credentials.");
    }

    /** Keys in the built-in identity provider; the answer is rendered at once, so the secret is never stored here. */
    private Outcome generateKeys(Visit visit) {
        JsonObject generated = (JsonObject) visit.api().post(appPath(visit) + "/credentials/generate",
                new JsonObject().put("keyType", visit.form("keyType"))
                        .put("grantTypes", new JsonArray().add("client_credentials")));
        return application(visit, generated);
    }

    private Outcome unlinkCredential(Visit visit) {
        visit.api().delete(appPath(visit) + "/credentials/" + encode(visit.path("credentialId")));
        return Outcome.redirect(appPage(visit), "Removed the credentials.");
    }

    private Outcome subscribe(Visit visit) {
        subscribe(visit, visit.path("appId"), visit.form("apiId"), visit.form("tier"));
        return Outcome.redirect(appPage(visit), "Subscribed.");
    }

    private static void subscribe(Visit visit, String applicationId, String apiId, String tier) {
        JsonObject body = new JsonObject().put("apiId", apiId);
        ConsolePages.putIfGiven(body, "tier", tier);
        visit.api().post(visit.orgApi() + "/applications/" + encode(String.valueOf(applicationId)) + "/subscriptions", body);
    }

    private Outcome unsubscribe(Visit visit) {
        visit.api().delete(appPath(visit) + "/subscriptions/" + encode(visit.path("subscriptionId")));
        return Outcome.redirect(appPage(visit), "Unsubscribed.");
    }

    private static String base(Visit visit) {
        return "/portal/" + visit.visitor().org();
    }

    private static String apiPath(Visit visit) {
        return visit.orgApi() + "/apis/" + encode(visit.path("apiId"));
    }

    private static String appPath(Visit visit) {
        return visit.orgApi() + "/applications/" + encode(visit.path("appId"));
    }

    private static String appPage(Visit visit) {
        return base(visit) + "/applications/" + encode(visit.path("appId"));
    }
}
