package dev.gatehouse.identity;

import java.time.Instant;

/**
 * One of an organization's published signing keys, as an admin sees it.
 *
 * @param state          {@code next} (published, not signing yet), {@code signing}, or {@code retired} (no longer
 *                       signing, published until the tokens it signed have expired)
 * @param publishedUntil when a retired key leaves the JWKS; null for the others
 */
public record SigningKeyState(String kid, String algorithm, Instant createdAt, Instant signsFrom, String state,
                              Instant publishedUntil) {
}
