package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.RateLimit;
import java.util.Objects;

/**
 * An application's API key, as gateways know it: by its digest only ({@link dev.gatehouse.model.consumer.ApiKey#digest}).
 *
 * @param keyId            the key's ID, named in refusals and logs instead of the key
 * @param applicationLimit the application's own tier, over all its calls to any API; null when unlimited
 */
public record ApiKeyBinding(String keyDigest, String keyId, String applicationId, KeyType keyType,
                            RateLimit applicationLimit) {

    public ApiKeyBinding {
        Objects.requireNonNull(keyDigest, "keyDigest");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(keyType, "keyType");
    }
}
