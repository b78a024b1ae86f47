package dev.gatehouse.model.snapshot;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two snapshots of one environment, section by section: a gateway that serves
 * {@code baseVersion} gets the sections that changed, whole, and keeps the others. Sections are replaced, never
 * patched item by item, so applying a delta gives exactly the snapshot the control plane built, in the same order;
 * the win is that the large sections (the APIs with their resources) are not sent again when a subscription, a
 * client ID or a revocation changes.
 *
 * @param baseVersion the version the delta applies to
 * @param changes     the new snapshot's version and environment, with the changed sections filled in and the others
 *                    left empty
 * @param changed     which sections of {@code changes} replace the base's
 */
public record SnapshotDelta(long baseVersion, GatewaySnapshot changes, Set<Section> changed) {

    /** The parts of a snapshot a delta replaces one by one. */
    public enum Section {
        APIS, ISSUERS, CLIENTS, SUBSCRIPTIONS, REVOKED_TOKENS, BACKEND_SIGNING_KEY, API_KEYS
    }

    public SnapshotDelta {
        Objects.requireNonNull(changes, "changes");
        changed = changed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(changed));
    }

    /** The delta from {@code base} to {@code next}, two snapshots of one environment. */
    public static SnapshotDelta between(GatewaySnapshot base, GatewaySnapshot next) {
        if (base.environment() != next.environment()) {
            throw new IllegalArgumentException("snapshots of different environments");
        }
        Set<Section> changed = EnumSet.noneOf(Section.class);
        if (!base.apis().equals(next.apis())) {
            changed.add(Section.APIS);
        }
        if (!base.issuers().equals(next.issuers())) {
            changed.add(Section.ISSUERS);
        }
        if (!base.clients().equals(next.clients())) {
            changed.add(Section.CLIENTS);
        }
        if (!base.subscriptions().equals(next.subscriptions())) {
            changed.add(Section.SUBSCRIPTIONS);
        }
        if (!base.revokedTokens().equals(next.revokedTokens())) {
            changed.add(Section.REVOKED_TOKENS);
        }
        if (!Objects.equals(base.backendSigningKey(), next.backendSigningKey())) {
            changed.add(Section.BACKEND_SIGNING_KEY);
        }
        if (!base.apiKeys().equals(next.apiKeys())) {
            changed.add(Section.API_KEYS);
        }
        GatewaySnapshot changes = new GatewaySnapshot(next.version(), next.environment(),
                changed.contains(Section.APIS) ? next.apis() : List.of(),
                changed.contains(Section.ISSUERS) ? next.issuers() : List.of(),
                changed.contains(Section.CLIENTS) ? next.clients() : List.of(),
                changed.contains(Section.SUBSCRIPTIONS) ? next.subscriptions() : List.of(),
                changed.contains(Section.REVOKED_TOKENS) ? next.revokedTokens() : List.of(),
                changed.contains(Section.BACKEND_SIGNING_KEY) ? next.backendSigningKey() : null,
                changed.contains(Section.API_KEYS) ? next.apiKeys() : List.of());
        return new SnapshotDelta(base.version(), changes, changed);
    }

    /**
     * The snapshot this delta leads to from {@code base}.
     *
     * @throws IllegalArgumentException if {@code base} is not the snapshot the delta was made from
     */
    public GatewaySnapshot applyTo(GatewaySnapshot base) {
        if (base.version() != baseVersion || base.environment() != changes.environment()) {
            throw new IllegalArgumentException("a delta from version " + baseVersion + " of the "
                    + changes.environment().wireName() + " environment cannot be applied to version " + base.version()
                    + " of the " + base.environment().wireName() + " environment");
        }
        return new GatewaySnapshot(changes.version(), changes.environment(),
                changed.contains(Section.APIS) ? changes.apis() : base.apis(),
                changed.contains(Section.ISSUERS) ? changes.issuers() : base.issuers(),
                changed.contains(Section.CLIENTS) ? changes.clients() : base.clients(),
                changed.contains(Section.SUBSCRIPTIONS) ? changes.subscriptions() : base.subscriptions(),
                changed.contains(Section.REVOKED_TOKENS) ? changes.revokedTokens() : base.revokedTokens(),
                changed.contains(Section.BACKEND_SIGNING_KEY) ? changes.backendSigningKey()
                        : base.backendSigningKey(),
                changed.contains(Section.API_KEYS) ? changes.apiKeys() : base.apiKeys());
    }
}
