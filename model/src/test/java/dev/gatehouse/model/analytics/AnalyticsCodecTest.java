package dev.gatehouse.model.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Environment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalyticsCodecTest {

    @Test
    void aBatch_comesBackEqual() {
        List<Long> buckets = new ArrayList<>(Collections.nCopies(LatencyBuckets.COUNT, 0L));
        buckets.set(3, 2L);
        AnalyticsBatch batch = new AnalyticsBatch("b-1", "gw-1", Environment.PRODUCTION, List.of(
                new CallMinute(Instant.parse("2026-11-28T15:00:00Z"), "acme", "api-1", "GET /orders", "app-1", "2xx",
                        2, 1_300, buckets)));

        assertThat(AnalyticsCodec.decode(AnalyticsCodec.encode(batch))).isEqualTo(batch);
        assertThat(new String(AnalyticsCodec.encode(batch), StandardCharsets.UTF_8))
                .contains("\"minute\":\"2026-11-28T15:00:00Z\"");
    }

    @Test
    void minutesWithTheWrongNumberOfBuckets_areRefused() {
        String json = "{\"batchId\":\"b-1\",\"gatewayId\":\"gw\",\"environment\":\"PRODUCTION\",\"minutes\":[{"
                + "\"minute\":\"2026-11-28T15:00:00Z\",\"orgHandle\":\"acme\",\"apiId\":\"a\",\"resource\":\"GET /\","
                + "\"applicationId\":\"\",\"statusClass\":\"2xx\",\"requests\":1,\"latencyMicros\":5,"
                + "\"latencyBuckets\":[1]}]}";

        assertThatThrownBy(() -> AnalyticsCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an analytics batch: latencyBuckets must have " + LatencyBuckets.COUNT
                        + " entries, had 1");
    }
}
