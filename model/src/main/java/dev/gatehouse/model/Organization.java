package dev.gatehouse.model;

import java.time.Instant;

/** A tenant. Its handle appears in every URL: {@code /t/{handle}/oauth2/token}, {@code /api/orgs/{handle}}. */
public record Organization(String id, String handle, String name, Instant createdAt) {
}
