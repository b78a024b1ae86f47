-- The built-in identity provider's device authorization grant (RFC 8628).

-- One row per device authorization request. The device code is kept only as a SHA-256 hash, the user code too
-- (normalized: upper case, without the dash), unique within the organization while the row lives. The status
-- moves PENDING -> APPROVED or DENIED on the verification page, and APPROVED -> REDEEMED at the token endpoint,
-- each by a conditional UPDATE, so that of two concurrent polls only one redeems. polls counts the polls, so that
-- two concurrent ones cannot both record theirs. A row stays a while after it expires, so that a late poll is told
-- expired_token rather than invalid_grant.
CREATE TABLE device_authorizations (
    device_code_hash VARCHAR(100)  NOT NULL,
    user_code_hash   VARCHAR(100)  NOT NULL,
    org_id           VARCHAR(36)   NOT NULL,
    client_id        VARCHAR(100)  NOT NULL,
    scopes           VARCHAR(8000) NOT NULL,
    status           VARCHAR(20)   NOT NULL,
    user_id          VARCHAR(36),
    interval_seconds INTEGER       NOT NULL,
    polls            INTEGER       NOT NULL,
    last_polled_at   TIMESTAMP WITH TIME ZONE,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT device_authorizations_pkey PRIMARY KEY (device_code_hash),
    CONSTRAINT device_authorizations_user_code_key UNIQUE (org_id, user_code_hash),
    CONSTRAINT device_authorizations_status_check
        CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'REDEEMED')),
    CONSTRAINT device_authorizations_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT device_authorizations_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX device_authorizations_expires_at_idx ON device_authorizations (expires_at);
