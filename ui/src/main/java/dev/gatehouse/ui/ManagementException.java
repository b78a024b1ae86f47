package dev.gatehouse.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The management API refused a request: its status and RFC 9457 problem details, which pages show as they come
 * (the detail, and each field error with the field it names).
 */
public final class ManagementException extends RuntimeException {

    private final int status;
    private final JsonObject problem;

    ManagementException(int status, JsonObject problem) {
        super(status + " " + problem.getString("title", "") + ": " + problem.getString("detail", ""));
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** One line for the page: the problem's detail, or its title. */
    public String detail() {
        return problem.getString("detail", problem.getString("title", "The request was refused (" + status + ")."));
    }

    /** "field: message" for each field the problem names. */
    public List<String> fieldErrors() {
        List<String> lines = new ArrayList<>();
        JsonArray errors = problem.getJsonArray("errors", new JsonArray());
        for (int i = 0; i < errors.size(); i++) {
            JsonObject error = errors.getJsonObject(i);
            lines.add(error.getString("field", "request") + ": " + error.getString("message", error.getString("detail", "")));
        }
        return lines;
    }
}
