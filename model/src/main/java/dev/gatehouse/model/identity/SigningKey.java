package dev.gatehouse.model.identity;

import java.time.Instant;

/** A key an organization's built-in identity provider signs tokens with, kept as a private JWK in JSON. */
public record SigningKey(String kid, String orgId, String algorithm, String privateJwk, boolean active, Instant createdAt) {
}
