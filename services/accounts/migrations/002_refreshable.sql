-- Whether the account's token can be refreshed (the platform supports it and issued a refresh
-- token): the background refresher only looks at these; the others get an expiry forecast.
ALTER TABLE accounts ADD COLUMN refreshable boolean NOT NULL DEFAULT false;
DROP INDEX accounts_expiry;
CREATE INDEX accounts_expiry ON accounts (token_expires_at) WHERE status = 'connected' AND refreshable;
