package dev.gatehouse.controlplane.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A refusal of the management API, rendered as RFC 9457 problem details. The one exception type the control
 * plane throws on purpose; it carries no stack trace, since it is an answer, not a fault.
 *
 * @see Problems
 */
public final class Problem extends RuntimeException {

    /** A field of the request at fault, as a JSON pointer-like path such as {@code backends.production}. */
    public record FieldError(String field, String message) {
    }

    private static final Pattern LEADING_FIELD = Pattern.compile("([A-Za-z][A-Za-z0-9_.]*)(?=:| )");

    private final int status;
    private final String code;
    private final String title;
    private final List<FieldError> errors;

    private Problem(int status, String code, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static Problem invalid(String field, String message) {
        return new Problem(400, "invalid_request", "Invalid request", field + ": " + message,
                List.of(new FieldError(field, message)));
    }

    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b)
                .orElse("the request is not valid");
        return new Problem(400, "invalid_request", "Invalid request", detail, errors);
    }

    /**
     * A domain rule's refusal, such as "password must be at least 8 characters" or "grantTypes: unsupported
     * grant type": the message's first word names the field.
     */
    public static Problem invalidArgument(String message) {
        Matcher matcher = LEADING_FIELD.matcher(message == null ? "" : message);
        String field = matcher.lookingAt() ? matcher.group(1) : "body";
        return invalid(List.of(new FieldError(field, message)));
    }

    public static Problem tooManyRequests(String detail) {
        return new Problem(429, "too_many_requests", "Too many requests", detail, List.of());
    }

    public static Problem unauthenticated(String detail) {
        return new Problem(401, "unauthenticated", "Authentication required", detail, List.of());
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Forbidden", detail, List.of());
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not_found", "Not found", detail, List.of());
    }

    public static Problem conflict(String detail) {
        return new Problem(409, "conflict", "Conflict", detail, List.of());
    }

    public static Problem conflict(String field, String detail) {
        return new Problem(409, "conflict", "Conflict", detail, List.of(new FieldError(field, detail)));
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "unavailable", "Service unavailable", detail, List.of());
    }

    public int status() {
        return status;
    }

    public JsonObject toJson(String instance) {
        JsonObject body = new JsonObject()
                .put("type", "urn:gatehouse:problem:" + code)
                .put("title", title)
                .put("status", status)
                .put("detail", getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            JsonArray fields = new JsonArray();
            errors.forEach(e -> fields.add(new JsonObject().put("field", e.field()).put("message", e.message())));
            body.put("errors", fields);
        }
        return body;
    }
}
