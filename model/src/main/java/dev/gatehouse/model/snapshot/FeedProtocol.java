package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.Environment;

/** What the control plane's gateway feed and the gateways that poll it agree on. */
public final class FeedProtocol {

    /** Query parameters: {@code gateway} (the gateway's id), {@code address}, {@code after} (the version served). */
    public static final String ROUTE = "/internal/gateways/:environment/snapshot";

    /** Where a gateway POSTs its {@link dev.gatehouse.model.analytics.AnalyticsBatch}es, with the gateway token. */
    public static final String ANALYTICS_ROUTE = "/internal/gateways/:environment/analytics";

    /**
     * Where a gateway POSTs an opaque access token of the built-in identity provider (the form field {@code token}),
     * with the gateway token, to learn its claims: 200 with the claims as JSON, or 404 for a token unknown or expired.
     */
    public static final String TOKEN_RESOLUTION_ROUTE = "/internal/gateways/:environment/opaque-tokens";

    /** The answer header that tells a gateway how many gateways of its environment are alive. */
    public static final String LIVE_GATEWAYS_HEADER = "Gatehouse-Live-Gateways";

    /**
     * On an answer, the digest of the whole snapshot it leads to, as the control plane encoded it; on a request, the
     * digest of the snapshot the gateway serves. A delta is sent only to a gateway whose snapshot has the digest of
     * the one the delta starts from, so that two snapshots of one version never get mixed up.
     */
    public static final String DIGEST_HEADER = "Gatehouse-Snapshot-Digest";

    /** A whole snapshot, which a gateway can serve by itself. */
    public static final String SNAPSHOT_TYPE = "application/vnd.gatehouse.snapshot+json";

    /**
     * A {@link SnapshotDelta} from the version the gateway asked after. Sent only to gateways that accept it, and
     * only when the control plane still holds that version and the delta is the smaller answer.
     */
    public static final String DELTA_TYPE = "application/vnd.gatehouse.snapshot-delta+json";

    private FeedProtocol() {
    }

    public static String path(Environment environment) {
        return ROUTE.replace(":environment", environment.wireName());
    }

    public static String tokenResolutionPath(Environment environment) {
        return TOKEN_RESOLUTION_ROUTE.replace(":environment", environment.wireName());
    }

    public static String analyticsPath(Environment environment) {
        return ANALYTICS_ROUTE.replace(":environment", environment.wireName());
    }
}
