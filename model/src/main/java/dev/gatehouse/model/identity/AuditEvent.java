package dev.gatehouse.model.identity;

import java.time.Instant;

/**
 * Something that happened in an organization's built-in identity provider.
 *
 * @param type     what happened, for example {@code login.failed}, {@code token.issued}, {@code admin.createUser}
 * @param actor    who did it: a username, a user ID or a client ID; null when unknown
 * @param clientId the OAuth client involved; null when none
 * @param clientIp the caller's address; null when not known
 * @param detail   a short qualifier, for example the grant type; null when none
 */
public record AuditEvent(String id, String orgId, Instant occurredAt, String type, String actor, String clientId,
                         String clientIp, String detail) {
}
