-- What the gateways counted, per minute, organization, environment, API resource, application and status class.
-- Each gateway ships its counts in parts; the parts of one minute are added up here. Latencies are counted in the
-- fixed buckets of LatencyBuckets, kept comma-separated, so that minutes and gateways merge by addition.
CREATE TABLE call_analytics (
    minute_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    org_id          VARCHAR(36)   NOT NULL,
    environment     VARCHAR(20)   NOT NULL,
    api_id          VARCHAR(36)   NOT NULL,
    resource        VARCHAR(600)  NOT NULL,
    application_id  VARCHAR(36)   NOT NULL,
    status_class    VARCHAR(10)   NOT NULL,
    requests        BIGINT        NOT NULL,
    latency_micros  BIGINT        NOT NULL,
    latency_buckets VARCHAR(1000) NOT NULL,
    CONSTRAINT call_analytics_pkey
        PRIMARY KEY (org_id, minute_start, environment, api_id, resource, application_id, status_class),
    CONSTRAINT call_analytics_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE
);

-- The batches already stored, so that a batch a gateway sends again (its answer was lost) is counted once.
CREATE TABLE analytics_batches (
    batch_id    VARCHAR(64) NOT NULL,
    gateway_id  VARCHAR(64) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT analytics_batches_pkey PRIMARY KEY (batch_id)
);
CREATE INDEX analytics_batches_received_at_idx ON analytics_batches (received_at);
