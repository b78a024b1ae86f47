-- DPoP (RFC 9449) in the built-in identity provider.

-- An application registered with dpop_bound_access_tokens (RFC 9449 section 5.2) must send a DPoP proof with every
-- token request; its access tokens are then always bound to its key.
ALTER TABLE oauth_clients ADD COLUMN dpop_bound_access_tokens BOOLEAN DEFAULT FALSE NOT NULL;

-- A public client's refresh token obtained with a DPoP proof is bound to that proof's key: the RFC 7638 SHA-256
-- thumbprint (43 base64url characters). Redeeming it needs a proof signed with the same key.
ALTER TABLE refresh_tokens ADD COLUMN jkt VARCHAR(64);
