-- Freezes (crisis lockdowns, DESIGN.md section 5) and the fence epoch. PostgreSQL is the system
-- of record: the Redis fence the send gate reads is rebuilt from these rows (fence_keeper.cpp).
-- org_id, brand_id and user ids refer to the gateway's tables through contracts/iam.
CREATE TABLE crisis_fence (
  id         smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  epoch      bigint NOT NULL DEFAULT 1,  -- grows with every change of the active scopes
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO crisis_fence DEFAULT VALUES;

CREATE TABLE freezes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL,
  scope_kind  text NOT NULL CHECK (scope_kind IN ('all', 'brand', 'platform', 'account', 'campaign', 'tag')),
  scope_value text NOT NULL DEFAULT '',
  reason      text NOT NULL,
  set_by      uuid,
  set_at      timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  lifted_at   timestamptz,
  lifted_by   uuid,
  epoch       bigint NOT NULL,
  CHECK ((scope_kind = 'all') = (scope_value = ''))
);
CREATE INDEX freezes_active ON freezes (org_id) WHERE lifted_at IS NULL;
