package dev.gatehouse.gateway.analytics;

import dev.gatehouse.model.analytics.AnalyticsBatch;
import dev.gatehouse.model.analytics.AnalyticsCodec;
import dev.gatehouse.model.snapshot.FeedProtocol;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Ships a gateway process's analytics to the control plane: {@code POST /internal/gateways/{environment}/analytics}
 * with the gateway token, the batch as JSON. Any answer but 204 is a failure, and the batch is sent again later.
 */
public final class HttpAnalyticsSink implements AnalyticsSink {

    private final WebClient client;
    private final String controlPlaneUrl;
    private final String gatewayToken;
    private final long timeoutMillis;

    /** @param controlPlaneUrl the control plane's base URL, without trailing slash */
    public HttpAnalyticsSink(WebClient client, String controlPlaneUrl, String gatewayToken, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.controlPlaneUrl = Objects.requireNonNull(controlPlaneUrl, "controlPlaneUrl");
        this.gatewayToken = Objects.requireNonNull(gatewayToken, "gatewayToken");
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public Future<Void> ship(AnalyticsBatch batch) {
        return client.postAbs(controlPlaneUrl + FeedProtocol.analyticsPath(batch.environment()))
                .bearerTokenAuthentication(gatewayToken)
                .putHeader("Content-Type", "application/json")
                .timeout(timeoutMillis)
                .sendBuffer(Buffer.buffer(AnalyticsCodec.encode(batch)))
                .compose(response -> response.statusCode() == 204 ? Future.succeededFuture()
                        : Future.failedFuture("the control plane answered " + response.statusCode()));
    }
}
