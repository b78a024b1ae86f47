package dev.gatehouse.ui;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console ({@code /console/{org}/…}, for publishers and admins) and the developer portal
 * ({@code /portal/{org}/…}, for API consumers): server-rendered pages that act only through the management API,
 * over HTTP and with the signed-in user's own token, so a page can never do what its user could not.
 *
 * <p><b>How a request goes.</b> Each page or form action is an {@link Action}. Before it runs: the browser's session
 * must hold a {@link Visitor} of the organization in the URL (else the browser is sent to sign in there, and comes
 * back); a request that changes something (POST, PUT, PATCH, DELETE) must carry the session's CSRF token; the access token is renewed if it is about to expire. The action
 * runs on a virtual thread, since it blocks on management-API calls that themselves need the server's worker
 * threads. Forms answer post/redirect/get: success and refusal alike redirect back to a page, which shows what
 * happened (a refusal's problem details, field by field). A failure nobody expected is logged and shown as a plain
 * error page, never a stack trace.
 *
 * <p>Sessions live in this process's memory ({@link LocalSessionStore}); several control-plane replicas behind one
 * address need sticky sessions for the browser pages (the management API itself is stateless).
 */
public final class WebUi {

    /** A page or a form action of a signed-in visitor. */
    @FunctionalInterface
    interface Action {
        Outcome run(Visit visit) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);
    private static final String VISITOR = "visitor";
    private static final String PENDING = "signIn";
    private static final String FLASH = "flash";
    private static final Pattern ORG_HANDLE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final long MAX_FORM_BYTES = 6L * 1024 * 1024;

    private final Vertx vertx;
    private final WebUiConfig config;
    private final ManagementClient management;
    private final SignIn signIn;
    private final Pages pages = new Pages();
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    public WebUi(Vertx vertx, WebUiConfig config, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).executor(virtualThreads).build();
        this.management = new ManagementClient(http, URI.create(config.internalUrl() + "/api"));
        this.signIn = new SignIn(config, management, clock);
    }

    /** Adds the pages, their assets and the sign-in callback to the control plane's router. */
    public void mount(Router router) {
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
                .setMaxAgeSeconds(Duration.ofDays(7).toSeconds()));
        router.route("/ui/static/*").handler(StaticHandler.create("ui/static"));
        SessionHandler sessions = SessionHandler.create(LocalSessionStore.create(vertx))
                .setSessionCookieName("gatehouse_session")
                .setCookieHttpOnlyFlag(true)
                .setCookieSecureFlag(config.secure())
                .setCookieSameSite(CookieSameSite.LAX)
                .setSessionTimeout(Duration.ofHours(8).toMillis())
                .setLazySession(true);
        BodyHandler forms = BodyHandler.create()
                .setBodyLimit(MAX_FORM_BYTES)
                .setUploadsDirectory(Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-uploads").toString())
                .setDeleteUploadedFilesOnEnd(true);
        for (String area : List.of("/", "/ui/*", "/console/*", "/portal/*")) {
            router.route(area).handler(sessions);
            router.route(area).handler(forms);
        }
        router.get("/").handler(this::home);
        router.get("/ui/sign-in").handler(this::beginSignIn);
        router.get(SignIn.CALLBACK_PATH).handler(this::completeSignIn);
        router.post("/ui/sign-out").handler(this::signOut);
        router.get(SignIn.SIGNED_OUT_PATH).handler(ctx -> respond(ctx, 200,
                pages.render("signed-out.jte", Chrome.plain("Signed out"), Map.of())));
        new ConsolePages(this).mount(router);
        new PortalPages(this, new TryItRelay(http, config.gatewayUrls())).mount(router);
    }

    WebUiConfig config() {
        return config;
    }

    /** The landing page: which organization to sign in to, and where. */
    private void home(RoutingContext ctx) {
        respond(ctx, 200, pages.render("home.jte", Chrome.plain("Welcome"), Map.of()));
    }

    private void beginSignIn(RoutingContext ctx) {
        String org = ctx.request().getParam("org");
        if (org == null || !ORG_HANDLE.matcher(org).matches()) {
            respond(ctx, 400, pages.render("message.jte", Chrome.plain("Sign in"), Map.of("heading", "Sign in",
                    "message", "Give the handle of your organization: lower-case letters, digits and '-'.")));
            return;
        }
        String area = "console".equals(ctx.request().getParam("area")) ? "console" : "portal";
        String returnTo = localPath(ctx.request().getParam("return"), "/" + area + "/" + org + "/apis");
        Map.Entry<URI, SignIn.Pending> start = signIn.begin(org, returnTo);
        ctx.session().put(PENDING, start.getValue().toJson());
        redirect(ctx, 302, start.getKey().toString());
    }

    private void completeSignIn(RoutingContext ctx) {
        JsonObject pendingJson = ctx.session().remove(PENDING);
        if (pendingJson == null) {
            respond(ctx, 400, pages.render("message.jte", Chrome.plain("Sign in"), Map.of("heading", "Sign in",
                    "message", "This sign-in was not started in this browser, or has already finished.")));
            return;
        }
        SignIn.Pending pending = SignIn.Pending.fromJson(pendingJson);
        String query = ctx.request().query() == null ? "" : ctx.request().query();
        Context context = vertx.getOrCreateContext();
        Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> {
            try {
                return new SignedIn(signIn.complete(pending, query), null);
            } catch (SignIn.Failed e) {
                return new SignedIn(null, e.getMessage());
            }
        }, virtualThreads), context).onComplete(result -> {
            if (result.failed() || result.result().refusal() != null) {
                if (result.failed()) {
                    LOG.warn("sign-in to organization {} failed", pending.org(), result.cause());
                }
                String message = result.failed() ? "The sign-in could not be completed." : result.result().refusal();
                respond(ctx, 400, pages.render("message.jte", Chrome.plain("Sign in"),
                        Map.of("heading", "Sign-in failed", "message", message)));
                return;
            }
            ctx.session().regenerateId();
            ctx.session().put(VISITOR, result.result().visitor().toJson());
            redirect(ctx, 303, pending.returnTo());
        });
    }

    /** A finished sign-in: who, or why not. */
    private record SignedIn(Visitor visitor, String refusal) {
    }

    private void signOut(RoutingContext ctx) {
        if (!Csrf.valid(ctx)) {
            forbidden(ctx);
            return;
        }
        JsonObject visitor = ctx.session().get(VISITOR);
        ctx.session().destroy();
        redirect(ctx, 303, visitor == null ? "/" : signIn.signOut(Visitor.fromJson(visitor)).toString());
    }

    /**
     * A handler for a page or action of an area ({@code console} or {@code portal}) whose route has the path
     * parameter {@code org}.
     */
    Handler<RoutingContext> signedIn(String area, Action action) {
        return ctx -> {
            String org = ctx.pathParam("org");
            Session session = ctx.session();
            JsonObject stored = session.get(VISITOR);
            if (stored == null || !Visitor.fromJson(stored).org().equals(org)) {
                toSignIn(ctx, org);
                return;
            }
            if (changesState(ctx) && !Csrf.valid(ctx)) {
                forbidden(ctx);
                return;
            }
            Context context = vertx.getOrCreateContext();
            Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> {
                Visitor visitor = signIn.fresh(Visitor.fromJson(stored));
                if (visitor == null) {
                    return null;
                }
                try {
                    return new Ran(visitor, action.run(new Visit(ctx, visitor, management.as(visitor.accessToken()))), null);
                } catch (Exception e) {
                    return new Ran(visitor, null, e);
                }
            }, virtualThreads), context).onComplete(result -> {
                if (result.failed()) {
                    LOG.error("page {} {} failed", ctx.request().method(), ctx.request().path(), result.cause());
                    errorPage(ctx, area, 500, "Something went wrong on our side; it has been logged.");
                    return;
                }
                Ran ran = result.result();
                if (ran == null) {
                    session.remove(VISITOR);
                    toSignIn(ctx, org);
                    return;
                }
                session.put(VISITOR, ran.visitor().toJson());
                finish(ctx, area, ran);
            });
        };
    }

    private static boolean changesState(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    }

    /** What an action did, or how it failed. */
    private record Ran(Visitor visitor, Outcome outcome, Exception failure) {
    }

    private void finish(RoutingContext ctx, String area, Ran ran) {
        if (ran.failure() instanceof ManagementException refused) {
            if (refused.status() == 401) {
                ctx.session().remove(VISITOR);
                toSignIn(ctx, ran.visitor().org());
            } else if (changesState(ctx)) {
                ctx.session().put(FLASH, new JsonObject().put("error", refused.detail())
                        .put("fields", new JsonArray(refused.fieldErrors())));
                redirect(ctx, 303, localPath(ctx.request().getFormAttribute("back"), "/" + area + "/" + ran.visitor().org()));
            } else {
                errorPage(ctx, area, refused.status(), refused.detail());
            }
            return;
        }
        if (ran.failure() != null) {
            LOG.error("page {} {} failed", ctx.request().method(), ctx.request().path(), ran.failure());
            errorPage(ctx, area, 500, "Something went wrong on our side; it has been logged.");
            return;
        }
        switch (ran.outcome()) {
            case Outcome.Page page -> respond(ctx, page.status(),
                    pages.render(page.template(), chrome(ctx, area, ran.visitor(), page.title()), page.params()));
            case Outcome.Redirect redirect -> {
                if (redirect.notice() != null) {
                    ctx.session().put(FLASH, new JsonObject().put("notice", redirect.notice()));
                }
                redirect(ctx, 303, redirect.location());
            }
            case Outcome.Raw raw -> {
                raw.headers().forEach(ctx.response()::putHeader);
                ctx.response().setStatusCode(raw.status()).putHeader(HttpHeaders.CONTENT_TYPE, raw.contentType())
                        .end(Buffer.buffer(raw.body()));
            }
        }
    }

    private Chrome chrome(RoutingContext ctx, String area, Visitor visitor, String title) {
        JsonObject flash = ctx.session().remove(FLASH);
        return new Chrome(title, area, visitor.org(), visitor.username(), visitor.publisher(), visitor.admin(),
                Csrf.token(ctx.session()), ctx.request().path(),
                flash == null ? null : flash.getString("notice"),
                flash == null ? null : flash.getString("error"),
                flash == null ? List.of() : Views.strings(flash.getJsonArray("fields")));
    }

    private void errorPage(RoutingContext ctx, String area, int status, String message) {
        JsonObject stored = ctx.session().get(VISITOR);
        Chrome chrome = stored == null ? Chrome.plain("Error")
                : chrome(ctx, area, Visitor.fromJson(stored), "Error");
        respond(ctx, status, pages.render("message.jte", chrome, Map.of("heading", headingFor(status), "message", message)));
    }

    private static String headingFor(int status) {
        return switch (status) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 500 -> "Something went wrong";
            default -> "The request was refused";
        };
    }

    private void toSignIn(RoutingContext ctx, String org) {
        String returnTo = ctx.request().method() == HttpMethod.GET ? ctx.request().uri() : "/portal/" + org + "/apis";
        redirect(ctx, ctx.request().method() == HttpMethod.GET ? 302 : 303, "/ui/sign-in?org="
                + URLEncoder.encode(org, StandardCharsets.UTF_8) + "&return=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
    }

    private void forbidden(RoutingContext ctx) {
        respond(ctx, 403, pages.render("message.jte", Chrome.plain("Not allowed"), Map.of("heading", "Not allowed",
                "message", "This form has expired or did not come from this site. Reload the page and try again.")));
    }

    /** A path on this server, never another site: anything else falls back to {@code fallback}. */
    static String localPath(String candidate, String fallback) {
        if (candidate == null || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.contains("\\")
                || candidate.chars().anyMatch(c -> c < 0x21)) {
            return fallback;
        }
        return candidate;
    }

    private static void respond(RoutingContext ctx, int status, String html) {
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "same-origin")
                .putHeader("X-Frame-Options", "DENY")
                .end(html);
    }

    private static void redirect(RoutingContext ctx, int status, String location) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.LOCATION, location).end();
    }
}
