package dev.gatehouse.store;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Each organization's policy for rotating its identity provider's signing key by age. */
public final class SigningKeyPolicyRepository {

    /**
     * An organization's policy: rotate to a new {@code algorithm} key once the newest key has signed for
     * {@code rotateAfterDays} days (0: never by age).
     */
    public record SigningKeyPolicy(String orgId, int rotateAfterDays, String algorithm) {
    }

    private final Handle handle;
    private final Clock clock;

    SigningKeyPolicyRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Optional<SigningKeyPolicy> find(String orgId) {
        return handle.createQuery("SELECT * FROM signing_key_policies WHERE org_id = :org")
                .bind("org", orgId)
                .map((rs, ctx) -> new SigningKeyPolicy(rs.getString("org_id"), rs.getInt("rotate_after_days"),
                        rs.getString("algorithm")))
                .findOne();
    }

    /** The policies that rotate by age. */
    public List<SigningKeyPolicy> listEnabled() {
        return handle.createQuery("SELECT * FROM signing_key_policies WHERE rotate_after_days > 0 ORDER BY org_id")
                .map((rs, ctx) -> new SigningKeyPolicy(rs.getString("org_id"), rs.getInt("rotate_after_days"),
                        rs.getString("algorithm")))
                .list();
    }

    /** Sets the organization's policy, keeping the record of the last rotation. */
    public void put(SigningKeyPolicy policy) {
        int updated = handle.createUpdate("""
                        UPDATE signing_key_policies SET rotate_after_days = :days, algorithm = :alg, updated_at = :at
                        WHERE org_id = :org""")
                .bind("org", policy.orgId())
                .bind("days", policy.rotateAfterDays())
                .bind("alg", policy.algorithm())
                .bind("at", Columns.timestamp(clock.instant()))
                .execute();
        if (updated == 0) {
            handle.createUpdate("""
                            INSERT INTO signing_key_policies (org_id, rotate_after_days, algorithm, updated_at)
                            VALUES (:org, :days, :alg, :at)""")
                    .bind("org", policy.orgId())
                    .bind("days", policy.rotateAfterDays())
                    .bind("alg", policy.algorithm())
                    .bind("at", Columns.timestamp(clock.instant()))
                    .execute();
        }
    }

    /**
     * Claims the rotation away from key {@code fromKid}, once: true for the first caller, false for any other and
     * when the policy no longer rotates by age. The row stays locked until the caller's transaction ends, so a
     * concurrent claim waits and then sees this one.
     */
    public boolean claimRotation(String orgId, String fromKid) {
        return handle.createUpdate("""
                        UPDATE signing_key_policies SET rotated_from_kid = :kid
                        WHERE org_id = :org AND rotate_after_days > 0
                          AND (rotated_from_kid IS NULL OR rotated_from_kid <> :kid)""")
                .bind("org", orgId)
                .bind("kid", fromKid)
                .execute() == 1;
    }
}
