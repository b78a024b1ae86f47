package dev.gatehouse.controlplane.http;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A validated management-API request, with the authenticated caller. */
public record Request(Caller caller, Map<String, String> pathParameters, JsonObject body) {

    public Request {
        pathParameters = Map.copyOf(pathParameters);
        body = body == null ? new JsonObject() : body;
    }

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("no path parameter '" + name + "'");
        }
        return value;
    }
}
