package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Problem;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads an identity provider's OpenID Connect discovery document or RFC 8414 metadata when it is registered:
 * its issuer, JWKS URI and token endpoint. Blocking; bounded in time and size, from an {@link OutboundTargets}
 * target and not redirected, since the URL comes from a user.
 */
final class ProviderMetadata {

    record Metadata(String issuer, String jwksUri, String tokenEndpoint) {
    }

    private static final int MAX_BYTES = 512 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Fetches and checks the document; every failure is a 400 that names {@code field}. */
    Metadata fetch(String field, String url) {
        HttpResponse<InputStream> response;
        try {
            OutboundTargets.check(URI.create(url));
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(field, "could not fetch the discovery document: " + e.getMessage());
        } catch (IOException e) {
            throw Problem.invalid(field, "could not fetch the discovery document: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.invalid(field, "interrupted while fetching the discovery document");
        }
        JsonObject document;
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (response.statusCode() != 200) {
                throw Problem.invalid(field, "the discovery document answered HTTP " + response.statusCode());
            }
            if (bytes.length > MAX_BYTES) {
                throw Problem.invalid(field, "the discovery document is larger than " + MAX_BYTES + " bytes");
            }
            document = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | DecodeException | ClassCastException e) {
            throw Problem.invalid(field, "the discovery document is not a JSON object");
        }
        String issuer = text(document, "issuer");
        String jwksUri = text(document, "jwks_uri");
        if (issuer == null || jwksUri == null) {
            throw Problem.invalid(field, "the discovery document must name an issuer and a jwks_uri");
        }
        return new Metadata(issuer, jwksUri, text(document, "token_endpoint"));
    }

    private static String text(JsonObject document, String name) {
        Object value = document.getValue(name);
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
