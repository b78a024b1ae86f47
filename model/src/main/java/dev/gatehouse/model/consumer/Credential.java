package dev.gatehouse.model.consumer;

import dev.gatehouse.model.KeyType;
import java.time.Instant;

/**
 * An identity provider's client ID linked to an application's production or sandbox keys. A client ID of an
 * identity provider belongs to one application only.
 */
public record Credential(String id, String applicationId, KeyType keyType, String idpId, String clientId, Instant createdAt) {
}
