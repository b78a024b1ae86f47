-- An organization's own rate-limit tiers, beside the built-in ones (Unlimited, Gold, Silver, Bronze).
CREATE TABLE rate_limit_tiers (
    org_id         VARCHAR(36)  NOT NULL,
    name           VARCHAR(100) NOT NULL,
    requests       BIGINT       NOT NULL,
    window_seconds BIGINT       NOT NULL,
    burst          BIGINT       NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT rate_limit_tiers_pkey PRIMARY KEY (org_id, name),
    CONSTRAINT rate_limit_tiers_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE
);
