package dev.gatehouse.controlplane.http;

import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Builds the management API's router from its OpenAPI contract: the contract decides which paths exist and
 * validates every request before an operation sees it; each operation is bound by its {@code operationId}.
 * Every refusal, whether from validation, authentication or an operation, is rendered here and only here as
 * RFC 9457 problem details. Unexpected failures are logged with their stack trace and answered with a 500
 * that reveals nothing.
 */
public final class ManagementRouter {

    /** Where the contract lives on the class path, and the stable URLs it is served at. */
    public static final String CONTRACT_RESOURCE = "openapi/gatehouse-management.yaml";
    public static final String BASE_PATH = "/api";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementRouter.class);
    private static final String PROBLEM_JSON = "application/problem+json";
    /** JSON Schema names a missing required property in its message only, not in the instance location. */
    private static final Pattern MISSING_PROPERTY = Pattern.compile("required property \"([^\"]+)\"");
    /** A parameter's validator names it in its message only: "The value of query parameter server can't be decoded." */
    private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter (\\S+?)[ .]");

    private ManagementRouter() {
    }

    /**
     * A router to mount at {@link #BASE_PATH}{@code /*}; every operation of the contract must be bound, so that a path the
     * contract promises cannot go unanswered.
     */
    public static Future<Router> create(Vertx vertx, Authenticator authenticator, Map<String, Operation> operations) {
        String contractText = readContract();
        JsonObject contractJson = new JsonObject(new Yaml().<Map<String, Object>>load(contractText));
        // The contract's server URL is relative ("/api", where the router is mounted); Vert.x wants an absolute
        // one, whose path it strips from a request's path before validating it, so it gets a placeholder host.
        JsonObject routedContract = contractJson.copy()
                .put("servers", new JsonArray().add(new JsonObject().put("url", "http://gatehouse" + BASE_PATH)));
        return OpenAPIContract.from(vertx, routedContract).map(contract -> {
            RouterBuilder builder = RouterBuilder.create(vertx, contract);
            for (OpenAPIRoute route : builder.getRoutes()) {
                String operationId = route.getOperation().getOperationId();
                Operation operation = operations.get(operationId);
                if (operation == null) {
                    throw new IllegalStateException("no operation bound for operationId " + operationId);
                }
                route.setDoSecurity(false);
                route.addHandler(ctx -> run(ctx, authenticator, operation));
                route.addFailureHandler(ManagementRouter::renderFailure);
            }
            Router api = builder.createRouter();
            api.get("/openapi.yaml").handler(ctx -> ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml; charset=utf-8")
                    .end(contractText));
            api.get("/openapi.json").handler(ctx -> ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(contractJson.encodePrettily()));
            api.route().last().handler(ctx -> render(ctx, Problem.notFound(
                    "no operation " + ctx.request().method() + " " + ctx.request().path())));
            api.route().failureHandler(ManagementRouter::renderFailure);
            return api;
        });
    }

    private static void run(RoutingContext ctx, Authenticator authenticator, Operation operation) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        Map<String, String> path = new HashMap<>();
        validated.getPathParameters().forEach((name, value) -> path.put(name, String.valueOf(value.get())));
        Map<String, String> query = new HashMap<>();
        validated.getQuery().forEach((name, value) -> {
            if (value != null && !value.isNull()) {
                query.put(name, String.valueOf(value.get()));
            }
        });
        JsonObject body = jsonBody(validated.getBody());
        String clientIp = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        ctx.vertx().<Reply>executeBlocking(() -> {
            Caller caller = authenticator.authenticate(authorization);
            return operation.run(new Request(caller, path, query, body, clientIp));
        }, false).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            Reply reply = result.result();
            ctx.response().setStatusCode(reply.status());
            if (reply.body() == null) {
                ctx.response().end();
            } else {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(String.valueOf(reply.body()));
            }
        });
    }

    private static JsonObject jsonBody(RequestParameter body) {
        if (body == null || body.isNull() || !body.isJsonObject()) {
            return null;
        }
        return body.getJsonObject();
    }

    private static void renderFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException invalid) {
            failure = invalid;
        }
        Problem problem;
        if (failure instanceof Problem p) {
            problem = p;
        } else if (failure instanceof SchemaValidationException invalid) {
            problem = Problem.invalid(fieldErrors(invalid));
        } else if (failure instanceof ValidatorException invalid) {
            Matcher parameter = PARAMETER.matcher(String.valueOf(invalid.getMessage()));
            problem = Problem.invalid(parameter.find() ? parameter.group(1) : "request", invalid.getMessage());
        } else if (failure instanceof StoreConflictException conflict) {
            problem = Problem.conflict("the change conflicts with existing data (" + conflict.constraint() + ")");
        } else if (failure instanceof IllegalArgumentException invalid) {
            problem = Problem.invalidArgument(invalid.getMessage());
        } else if (failure == null && ctx.statusCode() == 404) {
            problem = Problem.notFound("no operation " + ctx.request().method() + " " + ctx.request().path());
        } else {
            LOG.error("management API failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
            render(ctx, 500, new JsonObject()
                    .put("type", "urn:gatehouse:problem:internal_error")
                    .put("title", "Internal server error")
                    .put("status", 500)
                    .put("detail", "the server could not complete the request; it has been logged"));
            return;
        }
        render(ctx, problem);
    }

    private static List<Problem.FieldError> fieldErrors(SchemaValidationException invalid) {
        List<Problem.FieldError> errors = new ArrayList<>();
        OutputUnit output = invalid.getOutputUnit();
        List<OutputUnit> details = output.getErrors() == null || output.getErrors().isEmpty()
                ? List.of(output) : output.getErrors();
        for (OutputUnit unit : details) {
            String field = fieldName(unit.getInstanceLocation());
            Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(unit.getError()));
            if (missing.find()) {
                field = field.equals("body") ? missing.group(1) : field + "." + missing.group(1);
            }
            errors.add(new Problem.FieldError(field, unit.getError()));
        }
        return errors;
    }

    /** A JSON pointer such as {@code #/backends/production} becomes {@code backends.production}. */
    private static String fieldName(String instanceLocation) {
        if (instanceLocation == null) {
            return "body";
        }
        String pointer = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
        pointer = pointer.startsWith("/") ? pointer.substring(1) : pointer;
        return pointer.isEmpty() ? "body" : pointer.replace('/', '.');
    }

    /** Answers with the problem, in the one form every control-plane refusal takes. */
    public static void render(RoutingContext ctx, Problem problem) {
        render(ctx, problem.status(), problem.toJson(ctx.request().path()));
    }

    private static void render(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON).end(body.encode());
    }

    private static String readContract() {
        try (InputStream in = ManagementRouter.class.getClassLoader().getResourceAsStream(CONTRACT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the management API contract " + CONTRACT_RESOURCE + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
