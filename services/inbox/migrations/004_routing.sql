-- Assignment of new threads (issue #6, "Work"): a brand's routing rules (domain/routing.hpp's
-- JSON form) and its on-duty rota. A rota row says whether a member takes new threads
-- (available) and when (hours, domain/business_hours.hpp's JSON form; NULL: whenever available);
-- last_assigned_at is what round robin reads.

CREATE TABLE inbox_routing (
  brand_id             uuid PRIMARY KEY,
  org_id               uuid NOT NULL,
  config               jsonb NOT NULL,
  version              int NOT NULL DEFAULT 1,
  updated_by_label     text NOT NULL DEFAULT '',
  updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inbox_rota (
  brand_id             uuid NOT NULL,
  user_id              uuid NOT NULL,
  org_id               uuid NOT NULL,
  available            boolean NOT NULL DEFAULT true,
  hours                jsonb,
  last_assigned_at     timestamptz,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (brand_id, user_id)
);
