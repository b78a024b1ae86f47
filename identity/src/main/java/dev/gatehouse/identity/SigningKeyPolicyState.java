package dev.gatehouse.identity;

import java.time.Instant;

/**
 * An organization's policy for rotating its signing key by age, as an admin sees it.
 *
 * @param rotateAfterDays how many days the newest key signs before the next is made; 0: never by age
 * @param algorithm       the algorithm of the keys made by age
 * @param nextRotationAt  when the periodic check will rotate next, at the earliest; null when it never will
 */
public record SigningKeyPolicyState(int rotateAfterDays, String algorithm, Instant nextRotationAt) {
}
