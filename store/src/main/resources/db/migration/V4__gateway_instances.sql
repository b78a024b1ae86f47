-- The gateway processes that fetch configuration from the control plane, as they last reported themselves.
-- Not configuration: reports are recorded without advancing the configuration revision.
CREATE TABLE gateway_instances (
    id               VARCHAR(64)  NOT NULL,
    environment      VARCHAR(20)  NOT NULL,
    address          VARCHAR(500) NOT NULL,
    snapshot_version BIGINT       NOT NULL,
    first_seen       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT gateway_instances_pkey PRIMARY KEY (id)
);
