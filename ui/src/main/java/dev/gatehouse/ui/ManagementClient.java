package dev.gatehouse.ui;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The management API as the signed-in user calls it: over HTTP, with their access token, so that the console and
 * the portal can do exactly what the user could do with curl and no more. Calls block; they run on virtual
 * threads. A refusal becomes a {@link ManagementException} carrying the API's problem details.
 */
final class ManagementClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;

    ManagementClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    /** The API on behalf of one user. */
    Calls as(String accessToken) {
        return new Calls(accessToken);
    }

    /** Percent-encodes one path segment or query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    final class Calls {

        private final String accessToken;

        private Calls(String accessToken) {
            this.accessToken = accessToken;
        }

        JsonObject object(String path) {
            return (JsonObject) send("GET", path, null);
        }

        JsonArray array(String path) {
            return (JsonArray) send("GET", path, null);
        }

        /** The answer's JSON (an object, an array, or null for none). */
        Object post(String path, JsonObject body) {
            return send("POST", path, body);
        }

        Object put(String path, JsonObject body) {
            return send("PUT", path, body);
        }

        Object patch(String path, JsonObject body) {
            return send("PATCH", path, body);
        }

        void delete(String path) {
            send("DELETE", path, null);
        }

        private Object send(String method, String path, JsonObject body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + accessToken)
                    .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException("the management API could not be reached", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while calling the management API", e);
            }
            String text = response.body();
            if (response.statusCode() >= 400) {
                throw new ManagementException(response.statusCode(), problem(text, response.statusCode()));
            }
            return text == null || text.isBlank() ? null : Json.decodeValue(text);
        }

        private static JsonObject problem(String text, int status) {
            try {
                Object decoded = Json.decodeValue(text);
                if (decoded instanceof JsonObject problem) {
                    return problem;
                }
            } catch (DecodeException notJson) {
                // described below
            }
            return new JsonObject().put("status", status).put("title", "The management API answered " + status);
        }
    }
}
