package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.KeyType;
import java.util.Objects;

/** A client ID of an identity provider, linked to an application's production or sandbox credentials. */
public record ClientBinding(String idpId, String clientId, String applicationId, KeyType keyType) {

    public ClientBinding {
        Objects.requireNonNull(idpId, "idpId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(keyType, "keyType");
    }
}
