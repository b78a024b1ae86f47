package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.Environment;

/** What the control plane's gateway feed and the gateways that poll it agree on. */
public final class FeedProtocol {

    /**
     * Query parameters: {@code gateway} (the gateway's id), {@code address}, {@code after} (the version served), and
     * {@code deltas=true} from a gateway that holds that version and can apply a {@link SnapshotDelta}.
     */
    public static final String ROUTE = "/internal/gateways/:environment/snapshot";

    /** Where a gateway POSTs its {@link dev.gatehouse.model.analytics.AnalyticsBatch}es, with the gateway token. */
    public static final String ANALYTICS_ROUTE = "/internal/gateways/:environment/analytics";

    /**
     * The answer header that marks the body as a {@link SnapshotDelta} rather than a whole snapshot; its value is the
     * version the delta applies to.
     */
    public static final String DELTA_HEADER = "Gatehouse-Snapshot-Delta";

    /** The answer header that tells a gateway how many gateways of its environment are alive. */
    public static final String LIVE_GATEWAYS_HEADER = "Gatehouse-Live-Gateways";

    private FeedProtocol() {
    }

    public static String path(Environment environment) {
        return ROUTE.replace(":environment", environment.wireName());
    }

    public static String analyticsPath(Environment environment) {
        return ANALYTICS_ROUTE.replace(":environment", environment.wireName());
    }
}
