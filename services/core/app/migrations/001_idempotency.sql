-- Idempotency-Key records for creating POSTs (services/core/app/idempotency.cpp). A row is
-- reserved (status 0) before the handler runs and completed with the response afterwards; the
-- response is sealed with the key ring because it may carry a secret shown once (an API token).
CREATE TABLE idempotency_keys (
  scope         text        NOT NULL,   -- who sent it (a user id): keys are per caller
  key           text        NOT NULL,
  request_hash  text        NOT NULL,   -- sha256 of method, path and body
  status        integer     NOT NULL DEFAULT 0,
  response      bytea,                  -- KeyRing-sealed JSON {body, headers}
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
