package dev.gatehouse.controlplane.http;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A validated management-API request, with the authenticated caller.
 *
 * @param queryParameters the query parameters the contract declares, as given; absent ones are missing
 * @param clientIp        the address the request came from, for throttling password checks
 */
public record Request(Caller caller, Map<String, String> pathParameters, Map<String, String> queryParameters,
                      JsonObject body, String clientIp) {

    public Request {
        pathParameters = Map.copyOf(pathParameters);
        queryParameters = Map.copyOf(queryParameters);
        body = body == null ? new JsonObject() : body;
    }

    /** A query parameter, or null when the request does not give it. */
    public String query(String name) {
        return queryParameters.get(name);
    }

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("no path parameter '" + name + "'");
        }
        return value;
    }
}
