-- Per-API gateway options.
-- Whether the gateways pass the caller's Authorization header on to the backend (by default they do not).
ALTER TABLE apis ADD COLUMN forward_authorization BOOLEAN DEFAULT FALSE NOT NULL;
-- The browser origins allowed to call the API cross-origin, space-separated; empty: CORS is off.
ALTER TABLE apis ADD COLUMN cors_origins VARCHAR(4000) DEFAULT '' NOT NULL;
