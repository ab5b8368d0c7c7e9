-- Named queries of the evidence vault (services/crisis/evidence.cpp). Items are selected as
-- evidence_from() reads them.

-- name: crisis_evidence_head_ensure
INSERT INTO crisis_evidence_heads (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING;

-- name: crisis_evidence_head_lock
SELECT last_seq, last_hash FROM crisis_evidence_heads WHERE org_id = $1 FOR UPDATE;

-- name: crisis_evidence_head_set
UPDATE crisis_evidence_heads SET last_seq = $2, last_hash = $3 WHERE org_id = $1;

-- name: crisis_evidence_insert
INSERT INTO crisis_evidence (org_id, seq, kind, subject_id, brand_id, recorded_by, recorded_by_label, recorded_at_ms,
                             content, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);

-- name: crisis_evidence_page
-- $2: after this seq; $3: at most this many; $4: only this subject ('' = all).
SELECT seq, org_id, kind, subject_id, coalesce(brand_id::text, ''), coalesce(recorded_by::text, ''),
       recorded_by_label, recorded_at_ms, content, prev_hash, hash
FROM crisis_evidence
WHERE org_id = $1 AND seq > $2 AND ($4 = '' OR subject_id = $4)
ORDER BY seq
LIMIT $3;
