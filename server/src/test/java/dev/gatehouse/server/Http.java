package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/** A small HTTP client for the end-to-end tests: real requests on real sockets, JSON in and out. */
final class Http {

    record Response(int status, java.net.http.HttpHeaders headers, String body) {

        JsonObject json() {
            return new JsonObject(body);
        }

        JsonArray array() {
            return new JsonArray(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /**
     * Repeats a call until it answers with {@code status}, for changes that reach the gateways with the next
     * snapshot; fails showing the last answer.
     */
    static Response awaitStatus(int status, Supplier<Response> call) {
        Response[] last = new Response[1];
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat((last[0] = call.get()).status()).as("%s", last[0]).isEqualTo(status));
        return last[0];
    }

    /** Repeats a call until the gateway refuses it with {@code status} at {@code check}; fails showing the last answer. */
    static Response awaitRefusal(int status, String check, Supplier<Response> call) {
        Response[] last = new Response[1];
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            last[0] = call.get();
            assertThat(last[0].status()).as("%s", last[0]).isEqualTo(status);
            assertThat(last[0].json().getString("check")).as("%s", last[0]).isEqualTo(check);
        });
        return last[0];
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Response get(String url, String token) {
        return send(request(url, token).GET());
    }

    Response post(String url, String token, JsonObject body) {
        return send(request(url, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    Response put(String url, String token, JsonObject body) {
        return send(request(url, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    Response patch(String url, String token, JsonObject body) {
        return send(request(url, token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    Response delete(String url, String token) {
        return send(request(url, token).DELETE());
    }

    /** A form POST, with optional HTTP Basic client authentication. */
    Response form(String url, Map<String, String> fields, String basicUser, String basicPassword) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(fields)));
        if (basicUser != null) {
            builder.header("Authorization", basic(basicUser, basicPassword));
        }
        return send(builder);
    }

    /** A form POST with a bearer token, as gateways make to the control plane's internal endpoints. */
    Response formWithBearer(String url, Map<String, String> fields, String bearerToken) {
        return send(request(url, bearerToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(fields))));
    }

    /** The guide's exact request: parameters in the query string, an empty body, HTTP Basic client authentication. */
    Response guideTokenRequest(String tokenEndpoint, String scope, String username, String password,
                               String clientId, String clientSecret) {
        String url = tokenEndpoint + "?grant_type=password&scope=" + encode(scope) + "&username=" + encode(username)
                + "&password=" + encode(password);
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic(clientId, clientSecret))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String formEncode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** The status of a GET, or -1 while nothing listens there. */
    int tryGet(String url) {
        try {
            return client.send(request(url, null).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
