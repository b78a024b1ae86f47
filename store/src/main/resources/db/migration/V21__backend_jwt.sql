-- The request header in which the gateways send the API's backend a JWT with the caller's claims; null: none.
ALTER TABLE apis ADD COLUMN backend_jwt_header VARCHAR(100);

-- The keys gateways sign backend JWTs with, shared by every gateway; the newest signs, all are published.
-- Kept like the identity provider's signing keys: as private JWKs, readable only through the store.
CREATE TABLE gateway_signing_keys (
    kid         VARCHAR(100) NOT NULL,
    private_jwk TEXT         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT gateway_signing_keys_pkey PRIMARY KEY (kid)
);
