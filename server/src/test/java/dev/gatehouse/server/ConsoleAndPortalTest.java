package dev.gatehouse.server;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.gatehouse.model.Environment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The console and the portal in Chromium beyond the guide's happy path: what they refuse and how they say so, keys
 * shown once, usage charts fed by real gateway calls, and pages at phone width.
 */
class ConsoleAndPortalTest {

    private static Chromium chromium;
    private static TestGatehouse gh;
    private BrowserContext browser;
    private Page page;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        chromium = new Chromium();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        gh.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = chromium.newContext(gh.url(""));
        page = browser.newPage();
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    private void signIn(String path, String username) {
        page.navigate(gh.url(path));
        Chromium.signInAs(page, username);
        assertThat(page).hasURL(gh.url(path));
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.LOAD);
    }

    @Test
    void aPageOfSomeoneNotSignedIn_sendsThemToTheirOrganizationsSignIn_andBack() {
        page.navigate(gh.url("/portal/acme/applications"));
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/t/acme/oauth2/authorize\\?.*code_challenge_method=S256.*"));
        signIn("/portal/acme/applications", DemoData.SUBSCRIBER);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Applications"))).isVisible();
    }

    @Test
    void someoneNotSignedIn_costsTheServerNoSession() {
        Http.Response page = gh.http.get(gh.url("/portal/acme/apis"), null);
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.headers().allValues("set-cookie")).isEmpty();

        Http.Response start = gh.http.get(gh.url("/ui/sign-in?org=acme"), null);
        assertThat(start.status()).isEqualTo(302);
        assertThat(start.headers().allValues("set-cookie")).singleElement().satisfies(cookie -> assertThat(cookie)
                .startsWith("gatehouse_signin=").contains("HTTPOnly").contains("Path=/ui/")
                .doesNotContain("gatehouse_session"));

        Http.Response bogus = gh.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gh.url("/console/acme/apis"))).header("Cookie", "gatehouse_session=made-up"));
        assertThat(bogus.status()).isEqualTo(302);
        assertThat(bogus.headers().allValues("set-cookie")).noneMatch(c -> c.startsWith("gatehouse_session=")
                && !c.contains("Max-Age=0"));
    }

    @Test
    void aCallbackWhoseStateIsNotTheSignInsOwn_isRefused_andSignsNobodyIn() {
        page.navigate(gh.url("/portal/acme/apis"));
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/oauth2/authorize.*"));
        com.microsoft.playwright.Response forged = page.navigate(gh.url("/ui/callback?code=stolen&state=forged"));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(page.locator("main")).containsText("not started here");
        page.navigate(gh.url("/portal/acme/apis"));
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/oauth2/authorize.*"));
    }

    @Test
    void signInReturnsOnlyToPagesOfThisServer() {
        page.navigate(gh.url("/ui/sign-in?org=acme&return=//evil.example/steal"));
        Chromium.signInAs(page, DemoData.SUBSCRIBER);
        assertThat(page).hasURL(gh.url("/portal/acme/apis"));
    }

    @Test
    void aVisitorOfOneOrganization_isAskedToSignInToAnother() {
        signIn("/portal/acme/apis", DemoData.SUBSCRIBER);
        page.navigate(gh.url("/portal/accounts/apis"));
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/t/accounts/oauth2/authorize.*"));
    }

    @Test
    void aFormPostedWithoutTheSessionsCsrfToken_isRefused_andChangesNothing() {
        signIn("/console/acme/apis", DemoData.PUBLISHER);
        int before = gh.http.get(gh.api("/orgs/acme/apis"), gh.loginDemo(DemoData.PUBLISHER)).array().size();
        APIResponse forged = browser.request().post(gh.url("/console/acme/apis"), RequestOptions.create()
                .setForm(FormData.create().set("name", "Forged").set("version", "v1").set("context", "/forged")
                        .set("developmentBackend", "http://127.0.0.1:1/")));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("did not come from this site").doesNotContain("Exception");
        assertThat(gh.http.get(gh.api("/orgs/acme/apis"), gh.loginDemo(DemoData.PUBLISHER)).array().size())
                .isEqualTo(before);

        APIResponse relayed = browser.request().get(gh.url("/portal/acme/try/development/acme/orders/v1/orders"));
        assertThat(relayed.status()).isEqualTo(403);
        assertThat(relayed.text()).contains("CSRF");
    }

    @Test
    void aSubscriberInTheAdminPages_isToldItIsNotAllowed_withoutAStackTrace() {
        signIn("/portal/acme/apis", DemoData.SUBSCRIBER);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Console"))).hasCount(0);
        com.microsoft.playwright.Response response = page.navigate(gh.url("/console/acme/admin/users"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Not allowed"))).isVisible();
        assertThat(page.content()).doesNotContain("Exception").doesNotContain("at dev.gatehouse");
    }

    @Test
    void anInvalidForm_isShownWithTheFieldTheApiNamed_andCreatesNothing() {
        signIn("/console/acme/apis", DemoData.PUBLISHER);
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Bad context");
        page.getByLabel("Version").fill("v1");
        page.getByLabel("Context", new Page.GetByLabelOptions().setExact(true)).fill("/Not Lower Case");
        page.getByLabel("Development backend URL").fill("http://127.0.0.1:1/");
        page.locator("form[action$='/apis'] input[name=context]").evaluate("e => e.removeAttribute('pattern')");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("context");
        assertThat(page).hasURL(gh.url("/console/acme/apis"));
        assertThat(page.locator("table.list")).not().containsText("Bad context");
    }

    @Test
    void anOpenApiDocumentUploaded_becomesAnApiWithItsResourcesAndScopes() throws java.io.IOException {
        java.nio.file.Path document = java.nio.file.Files.createTempFile("petstore", ".yaml");
        java.nio.file.Files.writeString(document, """
                openapi: 3.0.3
                info: {title: Pet Store, version: '2.0'}
                servers: [{url: 'http://127.0.0.1:1/pets'}]
                components:
                  securitySchemes:
                    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'http://127.0.0.1:1/token', scopes: {pets.read: Read pets}}}}
                paths:
                  /pets:
                    get:
                      security: [{oauth: [pets.read]}]
                      responses: {'200': {description: pets}}
                  /pets/{id}:
                    delete:
                      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                      responses: {'204': {description: gone}}
                """);
        signIn("/console/acme/apis", DemoData.PUBLISHER);
        page.getByLabel("Document file").setInputFiles(document);
        page.getByLabel("Context (optional)").fill("/petstore");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Imported Pet Store");
        assertThat(page.locator("#permissions")).containsText("urn:acme:pet-store:pets.read");
        assertThat(page.locator("fieldset[data-resource='GET /pets']").getByLabel("pets.read")).isChecked();
        assertThat(page.locator("fieldset[data-resource='DELETE /pets/{id}']")).isVisible();
        java.nio.file.Files.delete(document);
    }

    @Test
    void aClientIdAlreadyLinked_isAClearError() {
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys taken = gh.demoApplication(alice, "First", "production", false);
        signIn("/portal/acme/applications", DemoData.SUBSCRIBER);
        page.getByLabel("Name").fill("Second");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        Locator production = page.locator("#credentials-production");
        production.getByLabel("Client ID").fill(taken.clientId());
        production.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("clientId");
        assertThat(page.locator("#credentials-production").getByLabel("Client ID")).isVisible();
    }

    @Test
    void generatedKeys_showTheSecretOnce_andUsageChartsCountTheCallsMade() {
        signIn("/portal/acme/applications", DemoData.SUBSCRIBER);
        page.getByLabel("Name").fill("Charted");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("+ Add APIs")).click();
        String appPage = page.url();
        Locator sandbox = page.locator("#credentials-sandbox");
        sandbox.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                .setName("Generate keys in the built-in identity provider")).click();
        sandbox = page.locator("#credentials-sandbox");
        assertThat(sandbox.locator(".secret")).containsText("shown this once");
        String clientId = sandbox.locator("dd code").first().innerText();
        String secret = sandbox.locator(".secret code").innerText();
        Chromium.screenshot(page, "07-portal-generated-keys");

        TestGatehouse.Keys keys = new TestGatehouse.Keys(null, clientId, secret);
        String token = gh.ordersReadToken(keys);
        Http.awaitStatus(200, () -> gh.http.get(gh.gateway(Environment.DEVELOPMENT, "/acme/orders/v1/orders"), token));
        for (int i = 0; i < 2; i++) {
            assertThat(gh.http.get(gh.gateway(Environment.DEVELOPMENT, "/acme/orders/v1/orders"), token).status())
                    .isEqualTo(200);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> {
            page.navigate(appPage);
            assertThat(page.locator(".usage-summary"))
                    .containsText(java.util.regex.Pattern.compile("\\b([3-9]|[1-9][0-9]+) calls in the last hour"));
        });
        assertThat(page.locator("#credentials-sandbox .secret")).hasCount(0);
        assertThat(page.locator(".chart canvas")).hasCount(1);
        Chromium.screenshot(page, "08-portal-usage");
    }

    @Test
    void tryIt_getsATokenFromTheBuiltInProvider_withTheScopeChosen_andCallsTheDevelopmentGateway() {
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys keys = gh.demoApplication(alice, "Tried", "sandbox", true);
        signIn("/portal/acme/apis", DemoData.SUBSCRIBER);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Orders")).click();
        assertThat(page.locator("main")).containsText("Calls go to the development gateway");

        page.locator(".swagger-ui .auth-wrapper .authorize").click();
        Locator oauth = page.locator(".swagger-ui .dialog-ux .auth-container:has-text('clientCredentials')");
        oauth.getByLabel("client_id").fill(keys.clientId());
        oauth.getByLabel("client_secret").fill(keys.secret());
        oauth.locator("label:has-text('urn:acme:orders:read')").click();
        oauth.locator("button.authorize").click();
        assertThat(oauth.locator("button:has-text('Logout')")).isVisible();
        page.locator(".swagger-ui .dialog-ux button.close-modal").click();

        Locator operation = page.locator(".opblock-get:has([data-path='/orders'])").first();
        operation.locator(".opblock-summary").first().click();
        operation.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Execute")).click();
        assertThat(operation.locator(".live-responses-table .response .response-col_status")).hasText("200");
        assertThat(operation.locator(".live-responses-table .response .response-col_description")).containsText("orders");
        Chromium.screenshot(page, "10-portal-try-it-oauth2");
    }

    @Test
    void everyPage_passesTheWcag2AaRulesOfAxe() {
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys keys = gh.demoApplication(alice, "Accessible", "production", true);
        String ordersId = gh.http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");
        signIn("/console/acme/apis", DemoData.ADMIN);
        java.util.Map<String, List<String>> violations = new java.util.LinkedHashMap<>();
        for (String path : List.of("/console/acme/apis", "/console/acme/apis/" + ordersId,
                "/console/acme/admin/identity-providers", "/console/acme/admin/environments",
                "/console/acme/admin/tiers", "/console/acme/admin/users", "/portal/acme/apis",
                "/portal/acme/apis/" + ordersId, "/portal/acme/applications",
                "/portal/acme/applications/" + keys.appUrl().substring(keys.appUrl().lastIndexOf('/') + 1), "/")) {
            page.navigate(gh.url(path));
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            List<String> found = Chromium.accessibilityViolations(page, "#swagger-ui", ".chart");
            if (!found.isEmpty()) {
                violations.put(path, found);
            }
        }
        assertThat(violations).isEmpty();

        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=unlabelled>')");
        assertThat(Chromium.accessibilityViolations(page)).anyMatch(v -> v.startsWith("label:"));
    }

    @Test
    void anAdmin_addsATierAndAUser_setsRoles_andEditsAnApisBackends() {
        signIn("/console/acme/admin/tiers", DemoData.ADMIN);
        page.getByLabel("Name").fill("Gold");
        page.getByLabel("Requests").fill("100");
        page.getByLabel("Per window of seconds").fill("60");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add tier")).click();
        assertThat(page.locator("#tiers")).containsText("Gold");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Users, groups and roles")).click();
        page.getByLabel("Username").fill("bob");
        page.getByLabel("Password").fill("bob-password-1");
        page.locator("form[action$='/admin/users'] input[name=roles][value=subscriber]").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add user")).click();
        Locator bob = page.locator("#users tr:has-text('bob')");
        assertThat(bob.locator("input[value=subscriber]")).isChecked();
        bob.locator("input[value=publisher]").check();
        bob.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save roles of bob")).click();
        assertThat(page.locator("#users tr:has-text('bob') input[value=publisher]")).isChecked();
        assertThat(gh.login("acme", "bob", "bob-password-1")).isNotBlank();

        page.locator("#group-name").fill("operators");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add group")).click();
        Locator operators = page.locator("[data-group='operators']");
        operators.locator("input[name=members][value=bob]").check();
        operators.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save members of operators")).click();
        page.locator("[data-group='operators'] input[name=roles][value=admin]").check();
        page.locator("[data-group='operators']").getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Save roles of group operators")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Saved the roles of operators");
        assertThat(page.locator("#users tr:has-text('bob')")).containsText("operators");
        assertThat(page.locator("#users tr:has-text('bob') td").nth(3)).containsText("admin");

        gh.publishedApi(gh.loginDemo(DemoData.PUBLISHER), "Warehouse", "/warehouse",
                new io.vertx.core.json.JsonArray(), new io.vertx.core.json.JsonArray()
                        .add(TestGatehouse.resource("GET", "/bins")));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Console")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Warehouse")).click();
        page.locator("#backends-heading ~ form").getByLabel("Development").fill("http://127.0.0.1:9/elsewhere");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save backend URLs")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Saved the backend URLs");
        assertThat(page.locator("#backends-heading ~ form").getByLabel("Development"))
                .hasValue("http://127.0.0.1:9/elsewhere");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Block")).click();
        assertThat(page.locator("#lifecycle-state")).hasText("blocked");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Block"))).hasCount(0);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deprecate")).click();
        assertThat(page.locator("#lifecycle-state")).hasText("deprecated");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retire")).click();
        assertThat(page.locator("#lifecycle-state")).hasText("retired");
        assertThat(page.locator("main")).containsText("This API is retired; nothing follows.");
    }

    @Test
    void withoutExternalProviders_credentialsAskForNoProvider() {
        signIn("/portal/acme/applications", DemoData.SUBSCRIBER);
        page.getByLabel("Name").fill("Plain");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
        assertThat(page.locator("#credentials-production").getByLabel("Client ID")).isVisible();
        assertThat(page.locator("#credentials-production").getByLabel("Identity provider")).hasCount(0);
    }

    @Test
    void withTheKeyboardOnly_aConsumerSkipsToTheContent_andCreatesAnApplication() {
        signIn("/portal/acme/applications", DemoData.SUBSCRIBER);
        page.keyboard().press("Tab");
        assertThat(page.locator(".skip-link")).isFocused();
        page.keyboard().press("Enter");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*#main$"));
        for (int i = 0; i < 30 && !(Boolean) page.evaluate("document.activeElement.id === 'app-name'"); i++) {
            page.keyboard().press("Tab");
        }
        assertThat(page.getByLabel("Name")).isFocused();
        page.keyboard().type("Typed");
        assertThat(page.getByLabel("Name")).hasValue("Typed");
        page.keyboard().press("Tab");
        page.keyboard().press("Tab");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create"))).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Created the application Typed");
    }

    @Test
    void anApisPage_showsItsUsageByResource() {
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys keys = gh.demoApplication(alice, "Counted", "sandbox", true);
        String token = gh.ordersReadToken(keys);
        Http.awaitStatus(200, () -> gh.http.get(gh.gateway(Environment.DEVELOPMENT, "/acme/orders/v1/orders/7"), token));
        String ordersId = gh.http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");
        signIn("/console/acme/apis/" + ordersId, DemoData.PUBLISHER);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> {
            page.reload();
            assertThat(page.locator("table.usage-by-resource")).containsText("GET /orders/{id}");
        });
        assertThat(page.locator(".chart canvas")).hasCount(1);
    }

    @Test
    void atPhoneWidth_pagesFitTheScreen() {
        BrowserContext phone = chromium.newPhoneContext();
        try {
            page = phone.newPage();
            signIn("/portal/acme/apis", DemoData.SUBSCRIBER);
            assertThat((Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
            Chromium.screenshot(page, "09-phone-catalog");
            page.navigate(gh.url("/portal/acme/applications"));
            assertThat((Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        } finally {
            phone.close();
        }
    }
}
