package dev.gatehouse.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One headless Chromium for a test class: the distribution's ({@code /usr/bin/chromium}, or the path in
 * {@code GATEHOUSE_CHROMIUM}) when there is one, and never a download then; otherwise Playwright's own browser.
 * Screenshots go to {@code target/screenshots/}.
 */
final class Chromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Playwright playwright;
    private final Browser browser;

    Chromium() {
        Path system = Path.of(System.getenv().getOrDefault("GATEHOUSE_CHROMIUM", "/usr/bin/chromium"));
        boolean hasSystem = Files.isExecutable(system);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(hasSystem ? Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1") : Map.of()));
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run"));
        if (hasSystem) {
            options.setExecutablePath(system);
        }
        browser = playwright.chromium().launch(options);
    }

    /** A fresh browser profile (no cookies) at desktop width; the clipboard may be written. */
    BrowserContext newContext(String origin) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions()
                .setOrigin(origin));
        context.setDefaultTimeout(15_000);
        return context;
    }

    /** A fresh profile at phone width. */
    BrowserContext newPhoneContext() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                .setIsMobile(true).setHasTouch(true));
        context.setDefaultTimeout(15_000);
        return context;
    }

    /**
     * The WCAG 2 A and AA rules of axe-core that the page breaks, as "rule: how many elements", leaving out
     * {@code excluded} selectors (third-party widgets such as Swagger UI).
     */
    static List<String> accessibilityViolations(Page page, String... excluded) {
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(AXE));
        Object violations = page.evaluate("""
                async (excluded) => {
                  const result = await axe.run({ exclude: excluded.map(s => [s]) },
                      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
                  return result.violations.map(v => v.id + ': ' + v.nodes.length + ' (' + v.nodes[0].target + ')');
                }""", List.of(excluded));
        return ((List<?>) violations).stream().map(String::valueOf).toList();
    }

    private static final String AXE = axeSource();

    private static String axeSource() {
        try (var in = Chromium.class.getClassLoader().getResourceAsStream(
                "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * On the built-in identity provider's sign-in page: signs in as a demo user, and allows the web client's consent
     * when it is asked (the first sign-in of a user).
     */
    static void signInAs(Page page, String username) {
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password").fill(DemoData.password(username));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        Locator allow = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Allow"));
        if (page.url().contains("/oauth2/") && allow.isVisible()) {
            allow.click();
        }
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
