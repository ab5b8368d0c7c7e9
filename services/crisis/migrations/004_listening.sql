-- Listening's keyword rules and the sensitive-word library (issue F4, item 3), per organization
-- (brand_id NULL) or per brand. listening/matcher.hpp compiles them; `version` on the
-- organization's row of listening_rule_versions grows with every change, so a compiled matcher
-- knows when it is stale.
CREATE TABLE listening_rules (
  id          bigserial PRIMARY KEY,
  org_id      uuid NOT NULL,
  brand_id    uuid,
  list        text NOT NULL CHECK (list IN ('keyword', 'sensitive')),
  keyword     text NOT NULL CHECK (btrim(keyword) <> '' AND length(keyword) <= 200),
  fuzzy       boolean NOT NULL DEFAULT false,
  weight      double precision NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 1000),
  region      text NOT NULL DEFAULT '',
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (org_id, brand_id, list, keyword, fuzzy, region)
);

CREATE TABLE listening_rule_versions (
  org_id  uuid PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);
