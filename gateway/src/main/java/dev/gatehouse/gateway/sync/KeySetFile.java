package dev.gatehouse.gateway.sync;

import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.gateway.security.JwksCache.KnownKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity providers' public keys a gateway last fetched, kept on its disk beside its snapshot: a gateway
 * restarted while a provider is away, the built-in one with the control plane included, verifies that provider's
 * tokens with them. Only public keys are written. A file that cannot be read is reported and ignored.
 */
public final class KeySetFile {

    private static final Logger LOG = LoggerFactory.getLogger(KeySetFile.class);

    private final Path path;

    public KeySetFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The saved keys by JWKS URI; empty when there are none or they cannot be read. */
    public Map<String, KnownKeys> load() {
        try {
            JsonObject saved = new JsonObject(Files.readString(path));
            Map<String, KnownKeys> known = new HashMap<>();
            for (String jwksUri : saved.fieldNames()) {
                JsonObject entry = saved.getJsonObject(jwksUri);
                known.put(jwksUri, new KnownKeys(JWKSet.parse(entry.getJsonObject("keys").encode()),
                        Instant.parse(entry.getString("fetchedAt"))));
            }
            return known;
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.warn("ignoring the saved key sets {}: {}", path, e.getMessage());
            return Map.of();
        }
    }

    /** Replaces the saved keys; blocking file I/O, so never on an event loop. */
    public void save(Map<String, KnownKeys> known) {
        JsonObject saved = new JsonObject();
        known.forEach((jwksUri, keys) -> saved.put(jwksUri, new JsonObject()
                .put("fetchedAt", keys.fetchedAt().toString())
                .put("keys", new JsonObject(keys.keys().toPublicJWKSet().toJSONObject(true)))));
        try {
            AtomicFiles.replace(path, saved.encodePrettily().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the key sets to " + path, e);
        }
    }
}
