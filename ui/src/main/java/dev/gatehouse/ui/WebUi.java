package dev.gatehouse.ui;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
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
import java.util.Optional;
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
 * back; the sign-in in progress waits in a sealed cookie, so nobody who is not signed in costs a session); only then
 * is a form body read; a request that changes something (POST, PUT, PATCH, DELETE) must carry the session's CSRF token; the access token is renewed if it is about to expire. The action
 * runs on a virtual thread, since it blocks on management-API calls that themselves need the server's worker
 * threads. Forms answer post/redirect/get: success and refusal alike redirect back to a page, which shows what
 * happened (a refusal's problem details, field by field). A failure nobody expected is logged and shown as a plain
 * error page, never a stack trace.
 *
 * <p>Sessions live in this process's memory ({@link LocalSessionStore}) and end after
 * {@link #SESSION_IDLE_TIMEOUT} without a request; several control-plane replicas behind one address need sticky
 * sessions for the browser pages (the management API itself is stateless).
 */
public final class WebUi {

    /** A page or a form action of a signed-in visitor. */
    @FunctionalInterface
    interface Action {
        Outcome run(Visit visit) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);
    private static final String VISITOR = "visitor";
    private static final String FLASH = "flash";
    private static final String SESSION_COOKIE = "gatehouse_session";
    /** A signed-in session ends after this long without a request. */
    private static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern ORG_HANDLE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final long MAX_FORM_BYTES = 6L * 1024 * 1024;

    private final Vertx vertx;
    private final WebUiConfig config;
    private final ManagementClient management;
    private final SignIn signIn;
    private final SignInCookie signInCookie;
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
        this.signInCookie = new SignInCookie(config.cookieKey(), clock);
    }

    /** Adds the pages, their assets and the sign-in callback to the control plane's router. */
    public void mount(Router router) {
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
                .setMaxAgeSeconds(Duration.ofDays(7).toSeconds()));
        router.route("/ui/static/*").handler(StaticHandler.create("ui/static"));
        SessionHandler sessions = SessionHandler.create(LocalSessionStore.create(vertx))
                .setSessionCookieName(SESSION_COOKIE)
                .setCookieHttpOnlyFlag(true)
                .setCookieSecureFlag(config.secure())
                .setCookieSameSite(CookieSameSite.LAX)
                .setSessionTimeout(SESSION_IDLE_TIMEOUT.toMillis())
                .setLazySession(true);
        BodyHandler forms = BodyHandler.create()
                .setBodyLimit(MAX_FORM_BYTES)
                .setUploadsDirectory(Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-uploads").toString())
                .setDeleteUploadedFilesOnEnd(true);
        for (String area : List.of("console", "portal")) {
            router.route("/" + area + "/*").handler(sessions);
            router.route("/" + area + "/*").handler(ctx -> admit(ctx, area));
            router.route("/" + area + "/*").handler(forms);
        }
        router.route(SignIn.CALLBACK_PATH).handler(sessions);
        router.post("/ui/sign-out").handler(sessions).handler(BodyHandler.create().setBodyLimit(4096));
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
        ctx.response().addCookie(signInCookie(signInCookie.seal(start.getValue()), SignInCookie.LIFETIME));
        redirect(ctx, 302, start.getKey().toString());
    }

    private void completeSignIn(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(SignInCookie.NAME);
        Optional<SignIn.Pending> started = signInCookie.open(cookie == null ? null : cookie.getValue());
        ctx.response().addCookie(signInCookie("", Duration.ZERO));
        if (started.isEmpty()) {
            respond(ctx, 400, pages.render("message.jte", Chrome.plain("Sign in"), Map.of("heading", "Sign in",
                    "message", "This sign-in was not started in this browser, or has already finished.")));
            return;
        }
        SignIn.Pending pending = started.get();
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
        if (ctx.request().getCookie(SESSION_COOKIE) == null) {
            redirect(ctx, 303, "/");
            return;
        }
        if (!Csrf.valid(ctx)) {
            forbidden(ctx);
            return;
        }
        JsonObject visitor = ctx.session().get(VISITOR);
        ctx.session().destroy();
        redirect(ctx, 303, visitor == null ? "/" : signIn.signOut(Visitor.fromJson(visitor)).toString());
    }

    /**
     * Lets a request into an area ({@code console} or {@code portal}) of the organization its path names only with a
     * session of a visitor signed in to that organization; anyone else goes to sign in, and no session is kept for
     * them. The visitor is left in the context for {@link #signedIn}; the form body is read only after this.
     */
    private void admit(RoutingContext ctx, String area) {
        String[] segments = ctx.request().path().split("/", 4);
        String org = segments.length > 2 ? segments[2] : "";
        if (!ORG_HANDLE.matcher(org).matches()) {
            respond(ctx, 404, pages.render("message.jte", Chrome.plain("Not found"), Map.of("heading", "Not found",
                    "message", "There is no such page.")));
            return;
        }
        if (ctx.request().getCookie(SESSION_COOKIE) == null) {
            toSignIn(ctx, org);
            return;
        }
        Session session = ctx.session();
        JsonObject stored = session.get(VISITOR);
        if (stored == null) {
            session.destroy();
            toSignIn(ctx, org);
            return;
        }
        Visitor visitor = Visitor.fromJson(stored);
        if (!visitor.org().equals(org)) {
            toSignIn(ctx, org);
            return;
        }
        ctx.put(VISITOR, visitor);
        ctx.next();
    }

    /**
     * A handler for a page or action of an area ({@code console} or {@code portal}) whose route has the path
     * parameter {@code org}, for the visitor {@link #admit} let in.
     */
    Handler<RoutingContext> signedIn(String area, Action action) {
        return ctx -> {
            String org = ctx.pathParam("org");
            Session session = ctx.session();
            Visitor admitted = ctx.get(VISITOR);
            if (changesState(ctx) && !Csrf.valid(ctx)) {
                forbidden(ctx);
                return;
            }
            Context context = vertx.getOrCreateContext();
            Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> {
                Visitor visitor = signIn.fresh(admitted);
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
        Visitor visitor = ctx.get(VISITOR);
        Chrome chrome = visitor == null ? Chrome.plain("Error") : chrome(ctx, area, visitor, "Error");
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

    /** The cookie holding a sign-in in progress; an empty one with no lifetime removes it. */
    private Cookie signInCookie(String value, Duration lifetime) {
        return Cookie.cookie(SignInCookie.NAME, value).setPath("/ui/").setHttpOnly(true).setSecure(config.secure())
                .setSameSite(CookieSameSite.LAX).setMaxAge(lifetime.toSeconds());
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
