-- Key rotation with overlap: a key is published from its creation but signs only from signs_from, so verifiers
-- learn it before they meet it; the key it succeeds stays published until the tokens it signed have expired.
ALTER TABLE signing_keys ADD COLUMN signs_from TIMESTAMP WITH TIME ZONE;
UPDATE signing_keys SET signs_from = created_at;
ALTER TABLE signing_keys ALTER COLUMN signs_from SET NOT NULL;
