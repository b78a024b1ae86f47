-- The request header in which the gateways accept an application's API key for the API; null: API keys are refused.
ALTER TABLE apis ADD COLUMN api_key_header VARCHAR(100);

-- Applications' API keys, a credential of their own beside OAuth client IDs. Only the SHA-256 digest of a key is
-- kept (the key is shown once, when it is made), with its first characters so that its owner can tell keys apart.
CREATE TABLE api_keys (
    id             VARCHAR(36)  NOT NULL,
    application_id VARCHAR(36)  NOT NULL,
    name           VARCHAR(200) NOT NULL,
    key_type       VARCHAR(20)  NOT NULL,
    key_digest     VARCHAR(100) NOT NULL,
    key_prefix     VARCHAR(20)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT api_keys_application_id_fkey FOREIGN KEY (application_id) REFERENCES applications (id)
        ON DELETE CASCADE,
    CONSTRAINT api_keys_key_digest_key UNIQUE (key_digest)
);
CREATE INDEX api_keys_application_id_idx ON api_keys (application_id);
