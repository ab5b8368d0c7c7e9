-- The crisis evidence vault (issue F4): statements, replies, snapshots of deleted posts, platform
-- reports, metric snapshots, and every freeze, lift request and lift. Append-only, one hash
-- chain per organization (domain/evidence_chain.hpp): each item's hash is
-- sha256(prev_hash "\n" canonical(item)). content is kept as the exact JSON text that was hashed.
CREATE TABLE crisis_evidence (
  org_id            uuid NOT NULL,
  seq               bigint NOT NULL,          -- 1, 2, 3 ... within the organization
  kind              text NOT NULL CHECK (kind IN ('freeze', 'lift_request', 'lift', 'statement', 'reply',
                                                  'deleted_post', 'platform_report', 'metric_snapshot', 'note')),
  subject_id        text NOT NULL DEFAULT '',  -- what it is about: a freeze, post or incident id
  brand_id          uuid,
  recorded_by       uuid,                      -- NULL: the system
  recorded_by_label text NOT NULL,
  recorded_at_ms    bigint NOT NULL,
  content           text NOT NULL,             -- canonical JSON (sorted keys, compact)
  prev_hash         text NOT NULL,
  hash              text NOT NULL UNIQUE,
  PRIMARY KEY (org_id, seq)
);
CREATE INDEX crisis_evidence_subject ON crisis_evidence (org_id, subject_id);

-- The head of each organization's chain, locked while appending (one writer at a time).
CREATE TABLE crisis_evidence_heads (
  org_id    uuid PRIMARY KEY,
  last_seq  bigint NOT NULL DEFAULT 0,
  last_hash text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);

CREATE FUNCTION crisis_evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'crisis_evidence is append-only';
END $$;
CREATE TRIGGER crisis_evidence_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON crisis_evidence
  FOR EACH STATEMENT EXECUTE FUNCTION crisis_evidence_append_only();
