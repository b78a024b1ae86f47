-- The built-in identity provider's authorization_code grant, consents, refresh tokens, revocations and audit.

-- Redirect URIs are absolute URIs without spaces, kept space-separated like the other token sets.
ALTER TABLE oauth_clients ADD COLUMN redirect_uris VARCHAR(8000) DEFAULT '' NOT NULL;

-- Codes are kept only as SHA-256 hashes; a used code stays until it expires so that its reuse is recognized.
CREATE TABLE authorization_codes (
    code_hash      VARCHAR(100)  NOT NULL,
    org_id         VARCHAR(36)   NOT NULL,
    client_id      VARCHAR(100)  NOT NULL,
    user_id        VARCHAR(36)   NOT NULL,
    redirect_uri   VARCHAR(2000) NOT NULL,
    scopes         VARCHAR(8000) NOT NULL,
    code_challenge VARCHAR(200),
    nonce          VARCHAR(500),
    used           BOOLEAN       NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT authorization_codes_pkey PRIMARY KEY (code_hash),
    CONSTRAINT authorization_codes_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT authorization_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- The scopes a user has allowed a client, remembered so that consent is asked only for new ones.
CREATE TABLE consents (
    user_id    VARCHAR(36)   NOT NULL,
    client_id  VARCHAR(100)  NOT NULL,
    org_id     VARCHAR(36)   NOT NULL,
    scopes     VARCHAR(8000) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT consents_pkey PRIMARY KEY (user_id, client_id),
    CONSTRAINT consents_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT consents_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX authorization_codes_expires_at_idx ON authorization_codes (expires_at);

-- Refresh tokens, kept as SHA-256 hashes. Each rotation adds a row to the same family and marks the presented
-- one used; presenting a used one revokes the whole family.
CREATE TABLE refresh_tokens (
    token_hash VARCHAR(100)  NOT NULL,
    org_id     VARCHAR(36)   NOT NULL,
    family_id  VARCHAR(36)   NOT NULL,
    client_id  VARCHAR(100)  NOT NULL,
    user_id    VARCHAR(36)   NOT NULL,
    scopes     VARCHAR(8000) NOT NULL,
    used       BOOLEAN       NOT NULL,
    revoked    BOOLEAN       NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT refresh_tokens_pkey PRIMARY KEY (token_hash),
    CONSTRAINT refresh_tokens_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE,
    CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);

-- Access tokens revoked before they expire (RFC 7009), by their jti, kept until they would have expired.
CREATE TABLE revoked_access_tokens (
    jti        VARCHAR(100) NOT NULL,
    org_id     VARCHAR(36)  NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT revoked_access_tokens_pkey PRIMARY KEY (jti),
    CONSTRAINT revoked_access_tokens_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX revoked_access_tokens_expires_at_idx ON revoked_access_tokens (expires_at);

-- What happened in an organization's identity provider: sign-ins, grants, revocations and admin changes.
CREATE TABLE audit_events (
    id          VARCHAR(36)  NOT NULL,
    org_id      VARCHAR(36)  NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    event_type  VARCHAR(60)  NOT NULL,
    actor       VARCHAR(200),
    client_id   VARCHAR(100),
    client_ip   VARCHAR(100),
    detail      VARCHAR(200),
    CONSTRAINT audit_events_pkey PRIMARY KEY (id),
    CONSTRAINT audit_events_org_id_fkey FOREIGN KEY (org_id) REFERENCES organizations (id) ON DELETE CASCADE
);
CREATE INDEX audit_events_org_time_idx ON audit_events (org_id, occurred_at);
