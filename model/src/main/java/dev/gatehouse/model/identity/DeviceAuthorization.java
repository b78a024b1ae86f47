package dev.gatehouse.model.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A device authorization of the built-in identity provider (RFC 8628), as stored: only the hashes of its codes, and
 * everything it is bound to.
 *
 * @param deviceCodeHash the SHA-256 hash of the device code the client polls with
 * @param userCodeHash   the SHA-256 hash of the normalized user code the user types on the verification page
 * @param clientId       the client it was issued to; no other client can redeem it
 * @param scopes         what was asked for (known scopes the client is authorized for) until the user decides,
 *                       then what the user approved
 * @param userId         the user who approved or denied it; null while pending
 * @param interval       how long the client must wait between polls; grows with every poll that came too soon
 * @param polls          how many polls were recorded, so that two concurrent ones cannot both be
 * @param lastPolledAt   when the client last polled; null before its first poll
 */
public record DeviceAuthorization(String deviceCodeHash, String userCodeHash, String orgId, String clientId,
                                  Set<String> scopes, Status status, String userId, Duration interval, int polls,
                                  Instant lastPolledAt, Instant expiresAt) {

    public enum Status {
        /** Waiting for the user. */
        PENDING,
        /** The user allowed it; the client has not yet redeemed it. */
        APPROVED,
        /** The user refused it. */
        DENIED,
        /** Exchanged for tokens; it cannot be again. */
        REDEEMED
    }

    public DeviceAuthorization {
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(interval, "interval");
    }
}
