-- A tier for one resource of an API, over all applications calling it: the finest rate-limit level.
ALTER TABLE api_resources ADD COLUMN tier VARCHAR(100) DEFAULT 'Unlimited' NOT NULL;
