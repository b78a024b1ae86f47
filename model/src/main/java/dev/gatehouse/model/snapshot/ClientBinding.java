package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.RateLimit;
import java.util.Objects;

/**
 * A client ID of an identity provider, linked to an application's production or sandbox credentials.
 *
 * @param applicationLimit the application's own tier, over all its calls to any API; null when unlimited
 */
public record ClientBinding(String idpId, String clientId, String applicationId, KeyType keyType,
                            RateLimit applicationLimit) {

    public ClientBinding {
        Objects.requireNonNull(idpId, "idpId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(keyType, "keyType");
    }

    /** An application without a tier of its own. */
    public ClientBinding(String idpId, String clientId, String applicationId, KeyType keyType) {
        this(idpId, clientId, applicationId, keyType, null);
    }
}
