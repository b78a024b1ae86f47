package dev.gatehouse.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Small readers of the management API's JSON, for templates. */
public final class Views {

    private Views() {
    }

    /** The objects of a JSON array (none for null). */
    public static List<JsonObject> objects(JsonArray array) {
        return array == null ? List.of() : array.stream().map(JsonObject.class::cast).toList();
    }

    /** The strings of a JSON array (none for null). */
    public static List<String> strings(JsonArray array) {
        return array == null ? List.of() : array.stream().map(String::valueOf).toList();
    }

    /** A property as text, empty when absent. */
    public static String text(JsonObject object, String key) {
        Object value = object == null ? null : object.getValue(key);
        return value == null ? "" : String.valueOf(value);
    }

    /** An instant as the API gives it, shortened to the minute for tables. */
    public static String minute(String instant) {
        return instant == null || instant.length() < 16 ? String.valueOf(instant) : instant.substring(0, 16).replace('T', ' ') + " UTC";
    }

    /** The console's button for moving an API to a lifecycle state. */
    public static String lifecycleAction(String state) {
        return switch (state) {
            case "published" -> "Publish";
            case "deprecated" -> "Deprecate";
            case "retired" -> "Retire";
            case "blocked" -> "Block";
            case "created" -> "Demote to created";
            default -> state;
        };
    }
}
