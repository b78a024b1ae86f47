package dev.gatehouse.model.api;

import dev.gatehouse.model.Environment;
import java.time.Instant;

/** Which revision of an API an environment serves. */
public record Deployment(String apiId, Environment environment, String revisionId, int revisionNumber, Instant deployedAt) {
}
