-- Named queries of the ads service (services/ads/ads.cpp).

-- name: ad_account_insert
INSERT INTO ad_accounts AS a (org_id, brand_id, account_id, platform, external_id, backfill_days, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (org_id, platform, external_id) DO NOTHING
RETURNING ad_account_json(a), a.id;

-- name: ad_account_get
SELECT ad_account_json(a), a.brand_id, a.account_id, a.platform, a.external_id, a.currency, a.backfill_days,
       to_char(a.synced_through, 'YYYY-MM-DD')
FROM ad_accounts a WHERE a.id = $1 AND ($2::uuid IS NULL OR a.org_id = $2);

-- name: ad_accounts_list
SELECT ad_account_json(a) FROM ad_accounts a
WHERE a.org_id = $1 AND ($2::uuid[] IS NULL OR a.brand_id = ANY ($2::uuid[])) AND ($3::uuid IS NULL OR a.brand_id = $3)
ORDER BY a.created_at, a.id;

-- name: ad_accounts_due
-- Every ad account whose last sync is older than $1 seconds (or never ran), oldest first.
SELECT a.id FROM ad_accounts a
WHERE a.last_sync_at IS NULL OR a.last_sync_at < now() - make_interval(secs => $1)
ORDER BY a.last_sync_at NULLS FIRST LIMIT 20;

-- name: ad_account_synced
-- $2 name, $3 currency, $4 status, $5 synced through, $6 error, $7 progress
UPDATE ad_accounts SET name = coalesce(nullif($2, ''), name), currency = coalesce(nullif($3, ''), currency),
       status = $4, synced_through = coalesce($5::date, synced_through), last_sync_at = now(), last_error = $6,
       progress = $7::jsonb
WHERE id = $1;

-- name: ad_account_progress
UPDATE ad_accounts SET progress = $2::jsonb, synced_through = coalesce($3::date, synced_through) WHERE id = $1;

-- name: ad_entities_upsert
-- Parallel arrays: external id, level, parent, campaign, name, status, objective, ad type, daily budget.
INSERT INTO ad_entities (ad_account_id, external_id, level, parent_id, campaign_ext, name, status, objective, ad_type,
                         daily_budget_minor)
SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                           $9::text[], $10::bigint[]) AS r
ON CONFLICT (ad_account_id, external_id) DO UPDATE
SET level = EXCLUDED.level, parent_id = EXCLUDED.parent_id, campaign_ext = EXCLUDED.campaign_ext, name = EXCLUDED.name,
    status = EXCLUDED.status, objective = EXCLUDED.objective, ad_type = EXCLUDED.ad_type,
    daily_budget_minor = EXCLUDED.daily_budget_minor, updated_at = now();

-- name: ad_hierarchy
-- ad -> (adset, campaign, ad type) for copying onto insight rows.
SELECT external_id, parent_id, campaign_ext, ad_type FROM ad_entities WHERE ad_account_id = $1 AND level = 'ad';

-- name: ad_insights_upsert
-- One batch of daily rows (parallel arrays). A day read again replaces what it said before.
INSERT INTO ad_insights (ad_account_id, ad_ext, day, campaign_ext, adset_ext, ad_type, impressions, clicks, conversions,
                         follows, spend_minor, revenue_minor)
SELECT $1, r.* FROM unnest($2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
                           $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[]) AS r
ON CONFLICT (ad_account_id, ad_ext, day) DO UPDATE
SET campaign_ext = EXCLUDED.campaign_ext, adset_ext = EXCLUDED.adset_ext, ad_type = EXCLUDED.ad_type,
    impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks, conversions = EXCLUDED.conversions,
    follows = EXCLUDED.follows, spend_minor = EXCLUDED.spend_minor, revenue_minor = EXCLUDED.revenue_minor;

-- name: ad_entity_link
-- Attributes an ad campaign to a Herald campaign (or none).
UPDATE ad_entities SET campaign_id = $3 WHERE ad_account_id = $1 AND external_id = $2 AND level = 'campaign'
RETURNING external_id;

-- name: ad_entities_list
SELECT json_build_object('id', external_id, 'level', level, 'parent_id', nullif(parent_id, ''),
                         'campaign', nullif(campaign_ext, ''), 'name', name, 'status', status,
                         'objective', nullif(objective, ''), 'ad_type', nullif(ad_type, ''),
                         'daily_budget_minor', daily_budget_minor, 'campaign_id', campaign_id)::text
FROM ad_entities WHERE ad_account_id = $1 AND ($2::text IS NULL OR level = $2)
  AND ($3::text IS NULL OR campaign_ext = $3) AND external_id > $4
ORDER BY external_id LIMIT $5;

-- name: fx_rate_upsert
INSERT INTO fx_rates (org_id, base, quote, rate) VALUES ($1, $2, $3, $4)
ON CONFLICT (org_id, base, quote) DO UPDATE SET rate = EXCLUDED.rate, updated_at = now();

-- name: fx_rates_list
SELECT base, quote, rate, ads_ts(updated_at) FROM fx_rates WHERE org_id = $1 ORDER BY base, quote;

-- name: ad_report
-- Sums per key of the chosen dimension ($4: day | week | month | campaign | adset | ad | ad_type | total) and
-- ad account, over [$2, $3]; $5 one ad campaign; $6 the ad campaigns attributed to one Herald campaign.
SELECT CASE $4 WHEN 'day' THEN to_char(i.day, 'YYYY-MM-DD')
               WHEN 'week' THEN to_char(date_trunc('week', i.day), 'YYYY-MM-DD')
               WHEN 'month' THEN to_char(i.day, 'YYYY-MM')
               WHEN 'campaign' THEN i.campaign_ext WHEN 'adset' THEN i.adset_ext WHEN 'ad' THEN i.ad_ext
               WHEN 'ad_type' THEN i.ad_type ELSE 'total' END AS key,
       i.ad_account_id,
       sum(i.impressions)::bigint, sum(i.clicks)::bigint, sum(i.conversions)::bigint, sum(i.follows)::bigint,
       sum(i.spend_minor)::bigint, sum(i.revenue_minor)::bigint
FROM ad_insights i
WHERE i.ad_account_id = ANY ($1::uuid[]) AND i.day BETWEEN $2::date AND $3::date
  AND ($5::text IS NULL OR i.campaign_ext = $5)
  AND ($6::uuid IS NULL OR (i.ad_account_id, i.campaign_ext) IN
       (SELECT e.ad_account_id, e.external_id FROM ad_entities e WHERE e.campaign_id = $6 AND e.level = 'campaign'))
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: ad_entity_names
SELECT external_id, name FROM ad_entities WHERE ad_account_id = ANY ($1::uuid[]) AND external_id = ANY ($2::text[]);

-- name: ad_daily_series
-- One ad campaign's (or ad's) spend and clicks per day, for pacing and anomaly checks.
SELECT to_char(day, 'YYYY-MM-DD'), sum(spend_minor)::bigint, sum(clicks)::bigint
FROM ad_insights
WHERE ad_account_id = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR campaign_ext = $4)
GROUP BY day ORDER BY day;

-- name: ad_campaign_budgets
SELECT e.external_id, e.name, e.daily_budget_minor,
       coalesce((SELECT sum(d.daily_budget_minor) FROM ad_entities d
                 WHERE d.ad_account_id = e.ad_account_id AND d.level = 'adset' AND d.parent_id = e.external_id), 0)
FROM ad_entities e WHERE e.ad_account_id = $1 AND e.level = 'campaign' ORDER BY e.external_id;

-- name: ad_rollup_refresh
-- The campaign roll-up of [$2, $3] from the insights (after a sync wrote those days).
INSERT INTO ad_campaign_daily AS d (ad_account_id, campaign_ext, day, impressions, clicks, conversions, follows,
                                    spend_minor, revenue_minor)
SELECT ad_account_id, campaign_ext, day, sum(impressions), sum(clicks), sum(conversions), sum(follows),
       sum(spend_minor), sum(revenue_minor)
FROM ad_insights
WHERE ad_account_id = $1 AND day BETWEEN $2::date AND $3::date
GROUP BY 1, 2, 3
ON CONFLICT (ad_account_id, campaign_ext, day) DO UPDATE
SET impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks, conversions = EXCLUDED.conversions,
    follows = EXCLUDED.follows, spend_minor = EXCLUDED.spend_minor, revenue_minor = EXCLUDED.revenue_minor;

-- name: ad_report_rollup
-- ad_report for the dimensions the roll-up holds ($4: day | week | month | campaign | total).
SELECT CASE $4 WHEN 'day' THEN to_char(i.day, 'YYYY-MM-DD')
               WHEN 'week' THEN to_char(date_trunc('week', i.day), 'YYYY-MM-DD')
               WHEN 'month' THEN to_char(i.day, 'YYYY-MM')
               WHEN 'campaign' THEN i.campaign_ext ELSE 'total' END AS key,
       i.ad_account_id,
       sum(i.impressions)::bigint, sum(i.clicks)::bigint, sum(i.conversions)::bigint, sum(i.follows)::bigint,
       sum(i.spend_minor)::bigint, sum(i.revenue_minor)::bigint
FROM ad_campaign_daily i
WHERE i.ad_account_id = ANY ($1::uuid[]) AND i.day BETWEEN $2::date AND $3::date
  AND ($5::text IS NULL OR i.campaign_ext = $5)
  AND ($6::uuid IS NULL OR (i.ad_account_id, i.campaign_ext) IN
       (SELECT e.ad_account_id, e.external_id FROM ad_entities e WHERE e.campaign_id = $6 AND e.level = 'campaign'))
GROUP BY 1, 2
ORDER BY 1, 2;
