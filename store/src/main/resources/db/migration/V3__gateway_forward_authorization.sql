-- Whether the gateways pass the caller's Authorization header on to an API's backend (by default they do not).
ALTER TABLE apis ADD COLUMN forward_authorization BOOLEAN DEFAULT FALSE NOT NULL;
