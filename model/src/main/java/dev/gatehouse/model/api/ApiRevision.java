package dev.gatehouse.model.api;

import java.time.Instant;

/** An immutable copy of an API's definition, made by "save and deploy"; deployments point at revisions. */
public record ApiRevision(String id, String apiId, int number, Api definition, Instant createdAt) {
}
