-- Named queries of the freeze preview (services/publishing/freeze_preview.cpp): work that is due
-- and not yet sent (SCHEDULED or DISPATCHED) in organization $1 under freeze scope ($2 kind,
-- $3 value). Approved crisis statements are counted apart: the exemption lane lets them out.

-- name: pub_freeze_preview_counts
-- $4: now (ms). Rows (kind, key, count); kind is brand, platform, account, hour (the next 72 h,
-- overdue work in its own past hour), total, next_72h or exempt.
WITH c AS (
  SELECT t.brand_id::text AS brand_id, t.account_id::text AS account_id, t.platform, p.crisis_statement AS exempt,
         (extract(epoch FROM p.scheduled_at) * 1000)::bigint AS due_ms
  FROM post_targets t JOIN posts p ON p.id = t.post_id
  WHERE t.org_id = $1 AND t.state IN ('SCHEDULED', 'DISPATCHED')
    AND publishing_in_freeze_scope($2, $3, t.brand_id, t.platform, t.account_id, p.campaign_id, p.tags)
)
SELECT 'brand', brand_id, count(*) FROM c WHERE NOT exempt GROUP BY brand_id
UNION ALL
SELECT 'platform', platform, count(*) FROM c WHERE NOT exempt GROUP BY platform
UNION ALL
SELECT 'account', account_id, count(*) FROM c WHERE NOT exempt GROUP BY account_id
UNION ALL
SELECT 'hour', to_char(date_trunc('hour', to_timestamp(due_ms / 1000.0) AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"'),
       count(*)
FROM c WHERE NOT exempt AND due_ms < $4::bigint + 259200000 GROUP BY 2
UNION ALL
SELECT 'total', '', count(*) FROM c WHERE NOT exempt
UNION ALL
SELECT 'next_72h', '', count(*) FROM c WHERE NOT exempt AND due_ms < $4::bigint + 259200000
UNION ALL
SELECT 'exempt', '', count(*) FROM c WHERE exempt;

-- name: pub_freeze_preview_items
-- The soonest $4 targets the scope holds.
SELECT t.id, t.post_id, t.brand_id, t.account_id, t.platform, p.title, t.state,
       (extract(epoch FROM p.scheduled_at) * 1000)::bigint
FROM post_targets t JOIN posts p ON p.id = t.post_id
WHERE t.org_id = $1 AND t.state IN ('SCHEDULED', 'DISPATCHED') AND NOT p.crisis_statement
  AND publishing_in_freeze_scope($2, $3, t.brand_id, t.platform, t.account_id, p.campaign_id, p.tags)
ORDER BY p.scheduled_at, t.id
LIMIT $4;
