-- Rate-limit tiers beyond the subscription's: one for all of an application's calls, one for all calls to an API.
ALTER TABLE apis ADD COLUMN tier VARCHAR(100) DEFAULT 'Unlimited' NOT NULL;
ALTER TABLE applications ADD COLUMN tier VARCHAR(100) DEFAULT 'Unlimited' NOT NULL;
