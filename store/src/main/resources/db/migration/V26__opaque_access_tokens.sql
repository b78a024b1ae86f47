-- Opaque access tokens, per application: the token is a random reference, kept only as its SHA-256 hash beside the
-- claims a JWT would have carried, until it expires. Introspection, userinfo and the gateways resolve it here.
ALTER TABLE oauth_clients ADD COLUMN access_token_format VARCHAR(10) DEFAULT 'jwt' NOT NULL;
ALTER TABLE oauth_clients ADD CONSTRAINT oauth_clients_access_token_format_check
    CHECK (access_token_format IN ('jwt', 'opaque'));

CREATE TABLE opaque_access_tokens (
    token_hash VARCHAR(100)  NOT NULL,
    org_id     VARCHAR(36)   NOT NULL,
    client_id  VARCHAR(100)  NOT NULL,
    claims     TEXT          NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT opaque_access_tokens_pkey PRIMARY KEY (token_hash),
    CONSTRAINT opaque_access_tokens_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX opaque_access_tokens_expires_at_idx ON opaque_access_tokens (expires_at);
