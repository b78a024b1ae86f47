package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Problem;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a publisher's OpenAPI 3.0 or 3.1 document, given as text or fetched from a URL, into the request body
 * {@code createApi} takes, so that an import creates an API exactly as a create does.
 *
 * <p>What the document gives: the name and version ({@code info}), one resource per method and path, and
 * permissions from the OAuth 2.0 (or OpenID Connect) scopes operations require, attached to the resources
 * requiring them. OpenAPI requires all scopes of one security requirement and any one requirement; Gatehouse
 * asks a token for any one of a resource's scopes, so a resource gets the union, which is looser than a
 * requirement naming two scopes at once. External {@code $ref}s are not followed: the parser would fetch them.
 *
 * <p>A fetch is bounded, since the URL comes from a user: http or https only (redirects included, never from
 * https to http), each hop an {@link OutboundTargets} target, {@link #FETCH_TIMEOUT} for each exchange, at most
 * {@link #MAX_DOCUMENT_BYTES}.
 */
final class OpenApiImport {

    static final int MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_REDIRECTS = 3;

    /** createApi's NewResource path pattern: a path template the gateway routes. */
    private static final Pattern RESOURCE_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@/{}-]*");
    private static final List<String> ROUTED_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(FETCH_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * The document at {@code url}; every failure is a 400 naming {@code url}. Redirects are followed here, at most
     * {@link #MAX_REDIRECTS}, so that each hop is checked like the first.
     */
    String fetch(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("url", "is not a URL");
        }
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkTarget(uri);
            HttpResponse<byte[]> response = get(uri);
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                URI next = response.headers().firstValue("Location").map(uri::resolve)
                        .orElseThrow(() -> Problem.invalid("url", "the document's URL redirected nowhere"));
                if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw Problem.invalid("url", "the document's URL redirected from https to " + next.getScheme());
                }
                uri = next;
                continue;
            }
            if (status != 200) {
                throw Problem.invalid("url", "the document's URL answered HTTP " + status);
            }
            return new String(response.body(), StandardCharsets.UTF_8);
        }
        throw Problem.invalid("url", "the document's URL redirected more than " + MAX_REDIRECTS + " times");
    }

    private static void checkTarget(URI uri) {
        try {
            OutboundTargets.check(uri);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("url", e.getMessage());
        }
    }

    private HttpResponse<byte[]> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT)
                .header("Accept", "application/json, application/yaml, text/yaml, */*").GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> new CappedBody());
        try {
            return exchange.get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw Problem.invalid("url", "the document did not arrive within " + FETCH_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw Problem.invalid("url", tooLarge(cause)
                    ? "the document is larger than " + MAX_DOCUMENT_BYTES + " bytes"
                    : "could not fetch the document: " + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.invalid("url", "interrupted while fetching the document");
        }
    }

    /**
     * The createApi body for the document; {@code request} may give {@code context} and {@code backends}, which
     * otherwise come from the document's first server URL.
     *
     * @throws Problem naming {@code document} for anything but an OpenAPI 3 document Gatehouse can route
     */
    JsonObject newApi(String document, JsonObject request) {
        OpenAPI openApi = parse(document);
        String title = openApi.getInfo().getTitle();
        List<String> serverUrls = serverUrls(openApi);
        JsonObject backends = request.getJsonObject("backends");
        if (backends == null) {
            backends = new JsonObject();
            String absolute = serverUrls.stream().filter(url -> url.startsWith("http://") || url.startsWith("https://"))
                    .findFirst().orElse(null);
            if (absolute != null) {
                backends.put("production", absolute).put("development", absolute);
            }
        }
        Map<String, String> scopeDescriptions = scopeDescriptions(openApi);
        Map<String, String> permissions = new LinkedHashMap<>();
        JsonArray resources = new JsonArray();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (!ROUTED_METHODS.contains(method.name()) || path.length() > 1000
                    || !RESOURCE_PATH.matcher(path).matches()) {
                throw Problem.invalid("document", method + " " + path + ": Gatehouse routes "
                        + String.join(", ", ROUTED_METHODS) + " on path templates of [A-Za-z0-9._~!$&'()*+,;=:@/{}-] only");
            }
            Set<String> resourcePermissions = new LinkedHashSet<>();
            for (String scope : requiredScopes(openApi, operation)) {
                String value = permissionValue(scope);
                permissions.putIfAbsent(value, Objects.requireNonNullElse(scopeDescriptions.get(scope), ""));
                resourcePermissions.add(value);
            }
            resources.add(new JsonObject().put("method", method.name()).put("path", path)
                    .put("permissions", new JsonArray(List.copyOf(resourcePermissions))));
        }));
        JsonArray permissionArray = new JsonArray();
        permissions.forEach((value, description) -> permissionArray.add(new JsonObject().put("value", value)
                .put("description", truncate(description, 1000))));
        return new JsonObject()
                .put("name", truncate(title, 200))
                .put("version", version(openApi.getInfo().getVersion()))
                .put("context", request.getString("context", context(serverUrls, title)))
                .put("description", truncate(Objects.requireNonNullElse(openApi.getInfo().getDescription(), ""), 4000))
                .put("backends", backends)
                .put("permissions", permissionArray)
                .put("resources", resources);
    }

    private static OpenAPI parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        OpenAPI openApi = result.getOpenAPI();
        List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
        if (openApi == null || openApi.getOpenapi() == null || !openApi.getOpenapi().startsWith("3.")) {
            throw Problem.invalid("document", "is not an OpenAPI 3.0 or 3.1 document"
                    + (messages.isEmpty() ? "" : ": " + String.join("; ", messages)));
        }
        List<String> missing = new ArrayList<>();
        if (openApi.getInfo() == null || blank(openApi.getInfo().getTitle())) {
            missing.add("info.title");
        }
        if (openApi.getInfo() == null || blank(openApi.getInfo().getVersion())) {
            missing.add("info.version");
        }
        if (openApi.getPaths() == null || openApi.getPaths().isEmpty()) {
            missing.add("paths");
        }
        if (!missing.isEmpty()) {
            throw Problem.invalid("document", "the document lacks " + String.join(", ", missing)
                    + (messages.isEmpty() ? "" : " (" + String.join("; ", messages) + ")"));
        }
        return openApi;
    }

    /** The servers' URLs, with their variables set to their defaults. */
    private static List<String> serverUrls(OpenAPI openApi) {
        List<String> urls = new ArrayList<>();
        if (openApi.getServers() != null) {
            for (Server server : openApi.getServers()) {
                String url = server.getUrl();
                if (url != null && server.getVariables() != null) {
                    for (var variable : server.getVariables().entrySet()) {
                        url = url.replace("{" + variable.getKey() + "}",
                                Objects.requireNonNullElse(variable.getValue().getDefault(), ""));
                    }
                }
                if (url != null) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }

    /** The scopes an operation's OAuth 2.0 or OpenID Connect security requirements name (the document's default when it has none). */
    private static Set<String> requiredScopes(OpenAPI openApi, Operation operation) {
        List<SecurityRequirement> requirements = operation.getSecurity() != null ? operation.getSecurity()
                : Objects.requireNonNullElse(openApi.getSecurity(), List.of());
        Map<String, SecurityScheme> schemes = securitySchemes(openApi);
        Set<String> scopes = new LinkedHashSet<>();
        for (SecurityRequirement requirement : requirements) {
            requirement.forEach((schemeName, schemeScopes) -> {
                SecurityScheme scheme = schemes.get(schemeName);
                if (scheme != null && (scheme.getType() == SecurityScheme.Type.OAUTH2
                        || scheme.getType() == SecurityScheme.Type.OPENIDCONNECT) && schemeScopes != null) {
                    schemeScopes.stream().filter(scope -> !blank(scope)).forEach(scopes::add);
                }
            });
        }
        return scopes;
    }

    /** Each scope the OAuth 2.0 schemes' flows declare, with its description. */
    private static Map<String, String> scopeDescriptions(OpenAPI openApi) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (SecurityScheme scheme : securitySchemes(openApi).values()) {
            if (scheme.getType() == SecurityScheme.Type.OAUTH2 && scheme.getFlows() != null) {
                var flows = scheme.getFlows();
                Stream.of(flows.getClientCredentials(), flows.getAuthorizationCode(), flows.getPassword(),
                                flows.getImplicit())
                        .filter(Objects::nonNull)
                        .map(OAuthFlow::getScopes)
                        .filter(Objects::nonNull)
                        .forEach(scopes -> scopes.forEach(descriptions::putIfAbsent));
            }
        }
        return descriptions;
    }

    private static Map<String, SecurityScheme> securitySchemes(OpenAPI openApi) {
        return openApi.getComponents() == null || openApi.getComponents().getSecuritySchemes() == null
                ? Map.of() : openApi.getComponents().getSecuritySchemes();
    }

    /**
     * A scope as createApi's permission value ({@code [A-Za-z0-9_.-]{1,100}}), which Gatehouse qualifies itself:
     * a URN keeps its last part ({@code urn:acme:stock:read} becomes {@code read}, so that a document Gatehouse
     * generated imports back), other characters become {@code -} ({@code read:pets} becomes {@code read-pets}).
     */
    static String permissionValue(String scope) {
        int lastColon = scope.lastIndexOf(':');
        String name = scope.startsWith("urn:") && lastColon < scope.length() - 1 ? scope.substring(lastColon + 1) : scope;
        return truncate(name.replaceAll("[^A-Za-z0-9_.-]", "-"), 100);
    }

    /**
     * info.version as createApi's version ({@code [A-Za-z0-9._-]{1,50}}): each run of other characters becomes
     * one {@code -}, leading and trailing ones go, and it is cut at 50 ({@code "2.0 beta"} becomes {@code 2.0-beta}).
     */
    private static String version(String version) {
        String normalized = truncate(version.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("(^-+|-+$)", ""), 50);
        if (normalized.isEmpty()) {
            throw Problem.invalid("document", "info.version '" + version + "' has no letter or digit");
        }
        return normalized;
    }

    /**
     * createApi's context ({@code (/[a-z0-9][a-z0-9._-]*)+}) from the first server URL's path, lower-cased with
     * other characters as {@code -} ({@code https://host/API/v3} gives {@code /api/v3}); from the title when that
     * path is empty ({@code "Pet Store"} gives {@code /pet-store}).
     */
    private static String context(List<String> serverUrls, String title) {
        StringBuilder context = new StringBuilder();
        String path = serverUrls.isEmpty() ? "" : pathOf(serverUrls.get(0));
        for (String segment : path.split("/")) {
            String normalized = segment.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-")
                    .replaceAll("^[._-]+", "");
            if (!normalized.isEmpty()) {
                context.append('/').append(normalized);
            }
        }
        return context.isEmpty() || context.length() > 200 ? "/" + ApiOperations.handleOf(title) : context.toString();
    }

    private static String pathOf(String url) {
        try {
            return Objects.requireNonNullElse(URI.create(url).getPath(), "");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DocumentTooLarge) {
                return true;
            }
        }
        return false;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String truncate(String value, int length) {
        return value.length() > length ? value.substring(0, length) : value;
    }

    /** Thrown into the exchange when a body passes {@link #MAX_DOCUMENT_BYTES}. */
    private static final class DocumentTooLarge extends IOException {
        DocumentTooLarge() {
            super("the document is too large", null);
        }
    }

    /** Collects a body of at most {@link #MAX_DOCUMENT_BYTES}, cancelling the exchange as soon as it passes it. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (received.size() + buffer.remaining() > MAX_DOCUMENT_BYTES) {
                    subscription.cancel();
                    body.completeExceptionally(new DocumentTooLarge());
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                received.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(received.toByteArray());
        }
    }
}
