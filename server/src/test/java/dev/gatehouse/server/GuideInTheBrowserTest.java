package dev.gatehouse.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guide "Secure API access with Asgardeo", done by clicking in a real Chromium against a whole Gatehouse:
 * the publisher creates an API, adds permissions and selects them per resource, saves and deploys, publishes and
 * promotes it; the admin registers an external OpenID provider (mock-oauth2-server, which Gatehouse did not write)
 * by its discovery URL; the consumer creates an application, links the provider's client ID to its production
 * credentials, subscribes, and in the try-it console calls the API with a token carrying the scope (200) and with
 * one that does not (403). Every page is saved as a screenshot under {@code target/screenshots/}.
 */
class GuideInTheBrowserTest {

    private static final String ISSUER_ID = "asgardeo";
    private static final String CLIENT_ID = "inventory-client";

    private static Chromium chromium;
    private static TestGatehouse gh;
    private static MockOAuth2Server provider;
    private static HttpServer backend;

    @BeforeAll
    static void start() throws IOException {
        gh = TestGatehouse.start();
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = ("{\"items\": [\"bolts\"], \"path\": \"" + exchange.getRequestURI().getPath() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        chromium = new Chromium();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        backend.stop(0);
        provider.shutdown();
        gh.close();
    }

    @Test
    void theWholeGuide_byClicking() {
        String backendUrl = "http://127.0.0.1:" + backend.getAddress().getPort() + "/inventory";
        try (BrowserContext admin = chromium.newContext(gh.url(""))) {
            Page page = admin.newPage();
            signIn(page, "/console/acme/apis", DemoData.ADMIN);
            Chromium.screenshot(page, "01-console-apis");

            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Inventory");
            page.getByLabel("Version").fill("v1");
            page.getByLabel("Context", new Page.GetByLabelOptions().setExact(true)).fill("/inventory");
            page.getByLabel("Development backend URL").fill(backendUrl);
            page.getByLabel("Production backend URL").fill(backendUrl);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Created Inventory");

            addResource(page, "GET", "/items");
            addResource(page, "POST", "/items");
            addPermission(page, "read", "Read the items");
            addPermission(page, "write", "Add items");
            Locator scopes = page.locator("#permissions");
            assertThat(scopes).containsText("urn:acme:inventory:read");
            assertThat(scopes.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                    .setName("Copy scope urn:acme:inventory:read"))).isVisible();
            scopes.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Copy scope urn:acme:inventory:read"))
                    .click();
            assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo("urn:acme:inventory:read");

            resource(page, "GET /items").getByLabel("read").check();
            resource(page, "POST /items").getByLabel("write").check();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save and Deploy")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Saved and deployed to development");
            assertThat(resource(page, "GET /items").getByLabel("read")).isChecked();
            assertThat(resource(page, "GET /items").getByLabel("write")).not().isChecked();
            assertThat(page.locator("#deployments")).containsText("development");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Publish")).click();
            assertThat(page.locator("#lifecycle-state")).hasText("published");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promote to production")).click();
            assertThat(page.locator("#deployments")).containsText("production");
            Chromium.screenshot(page, "02-console-api");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Admin")).click();
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Asgardeo");
            page.getByLabel("Discovery URL").fill(provider.wellKnownUrl(ISSUER_ID).toString());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add identity provider")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Registered Asgardeo");
            Locator registered = page.locator("[data-provider='Asgardeo']");
            assertThat(registered).containsText(provider.issuerUrl(ISSUER_ID).toString());
            assertThat(registered.locator(".jwks-status")).hasText("ok");
            Chromium.screenshot(page, "03-console-identity-providers");
            signOut(page);
        }

        try (BrowserContext consumer = chromium.newContext(gh.url(""))) {
            Page page = consumer.newPage();
            signIn(page, "/portal/acme/apis", DemoData.SUBSCRIBER);
            page.getByLabel("Search APIs").fill("invent");
            assertThat(page.locator("#catalog")).containsText("Inventory");
            assertThat(page.locator("#catalog")).not().containsText("Orders");
            Chromium.screenshot(page, "04-portal-catalog");

            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Applications")).click();
            page.getByLabel("Name").fill("Inventory client");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Created the application Inventory client");

            Locator production = page.locator("#credentials-production");
            production.getByLabel("Identity provider").selectOption(new com.microsoft.playwright.options.SelectOption()
                    .setLabel("Asgardeo"));
            production.getByLabel("Client ID").fill(CLIENT_ID);
            production.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Linked the client ID");
            production = page.locator("#credentials-production");
            assertThat(production).containsText(CLIENT_ID);
            assertThat(production).containsText(provider.tokenEndpointUrl(ISSUER_ID).toString());

            page.getByLabel("API", new Page.GetByLabelOptions().setExact(true)).selectOption(
                    new com.microsoft.playwright.options.SelectOption().setLabel("Inventory v1"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("+ Add APIs")).click();
            assertThat(page.locator("#subscriptions")).containsText("Inventory");
            assertThat(page.locator("#subscriptions")).containsText("active");
            assertThat(page.locator("#credentials-production pre.curl")).containsText("urn:acme:inventory:read");
            Chromium.screenshot(page, "05-portal-application");

            // The gateways learn of the subscription within a second; the console's own calls are no faster.
            Http.awaitStatus(200, () -> gh.http.get(gh.gateway(dev.gatehouse.model.Environment.PRODUCTION,
                    "/acme/inventory/v1/items"), token("urn:acme:inventory:read")));
            page.navigate(gh.url("/portal/acme/apis"));
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Inventory")).click();
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("production")).click();
            TryItCall allowed = tryGetItems(page, token("urn:acme:inventory:read"), "06-portal-try-it");
            assertThat(allowed.status()).isEqualTo("200");
            assertThat(allowed.body()).contains("bolts");
            TryItCall refused = tryGetItems(page, token("urn:acme:inventory:write"), "07-portal-try-it-refused");
            assertThat(refused.status()).isEqualTo("403");
            assertThat(refused.body()).contains("scope");
        }
    }

    private static void signIn(Page page, String path, String username) {
        page.navigate(gh.url(path));
        Chromium.signInAs(page, username);
        assertThat(page).hasURL(gh.url(path));
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.LOAD);
    }

    private static void signOut(Page page) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("You are signed out");
    }

    private static void addResource(Page page, String method, String path) {
        page.getByLabel("Method").selectOption(method);
        page.getByLabel("Path").fill(path);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add resource")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Added the resource " + method + " " + path);
    }

    private static void addPermission(Page page, String value, String description) {
        page.getByLabel("Permission", new Page.GetByLabelOptions().setExact(true)).fill(value);
        page.getByLabel("Description").fill(description);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add permission")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Added the permission " + value);
    }

    private static Locator resource(Page page, String methodAndPath) {
        return page.locator("fieldset[data-resource='" + methodAndPath + "']");
    }

    /** A token of the external provider for the linked client ID, with one scope. */
    private static String token(String scope) {
        return provider.issueToken(ISSUER_ID, CLIENT_ID, new DefaultOAuth2TokenCallback(ISSUER_ID, "service-account",
                "JWT", List.of("inventory"), Map.of("scope", scope), 300)).serialize();
    }

    /** What the try-it console shows of a call. */
    private record TryItCall(String status, String body) {
    }

    /** Authorizes Swagger UI with a bearer token, runs GET /items, and answers what it shows, saved as a screenshot. */
    private static TryItCall tryGetItems(Page page, String token, String screenshot) {
        page.locator(".swagger-ui .auth-wrapper .authorize").click();
        Locator dialog = page.locator(".swagger-ui .dialog-ux");
        Locator logout = dialog.locator(".auth-container:has-text('http, Bearer') button:has-text('Logout')");
        if (logout.count() > 0) {
            logout.click();
        }
        Locator bearer = dialog.locator(".auth-container:has-text('http, Bearer')");
        bearer.locator("input").fill(token);
        bearer.locator("button.authorize").click();
        dialog.locator("button.close-modal").click();
        Locator operation = page.locator(".opblock-get:has([data-path='/items'])");
        if (operation.locator(".opblock-body").count() == 0) {
            operation.locator(".opblock-summary").first().click();
        }
        operation.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Execute")).click();
        Locator status = operation.locator(".live-responses-table .response .response-col_status");
        status.waitFor();
        TryItCall shown = new TryItCall(status.innerText().trim(),
                operation.locator(".live-responses-table .response .response-col_description").innerText());
        Chromium.screenshot(page, screenshot);
        operation.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Clear")).click();
        return shown;
    }
}
