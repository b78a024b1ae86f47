package dev.gatehouse.model.consumer;

import java.time.Instant;

/** A consumer's application in the developer portal; calls through the gateway are made on its behalf. */
public record Application(String id, String orgId, String name, String description, String ownerId, Instant createdAt) {
}
