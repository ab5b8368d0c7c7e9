-- Named queries of campaigns and links (services/campaigns/campaigns.cpp, links.cpp).

-- name: campaign_insert
-- $1 org, $2 brand, $3 name, $4 type, $5 goal, $6 theme, $7 kpis, $8 platforms, $9 accounts, $10 rules,
-- $11 rewards, $12 budget, $13 currency, $14 allocation, $15 starts, $16 ends, $17 owner, $18 status, $19 creator
INSERT INTO campaigns AS c (org_id, brand_id, name, type, goal, theme, kpis, platforms, account_ids, rules, rewards,
                            budget_minor, currency, allocation, starts_on, ends_on, owner_id, status, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::text[], $9::uuid[], $10::jsonb, $11::jsonb, $12, $13, $14::jsonb,
        $15::date, $16::date, $17, $18, $19)
RETURNING campaign_json(c);

-- name: campaign_update
-- Every editable field at once (the caller merged the change into the current values). $20 expected
-- version (NULL: any). Nothing when the version moved on.
UPDATE campaigns AS c
SET name = $3, type = $4, goal = $5, theme = $6, kpis = $7::jsonb, platforms = $8::text[], account_ids = $9::uuid[],
    rules = $10::jsonb, rewards = $11::jsonb, budget_minor = $12, currency = $13, allocation = $14::jsonb,
    starts_on = $15::date, ends_on = $16::date, owner_id = $17, status = $18, freeze_id = $19,
    updated_at = now(), version = c.version + 1
WHERE c.id = $1 AND c.org_id = $2 AND ($20::int IS NULL OR c.version = $20)
RETURNING campaign_json(c);

-- name: campaign_get
-- The campaign (locked for an update in the same transaction), its brand and its JSON.
SELECT campaign_json(c), c.brand_id, c.version
FROM campaigns c WHERE c.id = $1 AND c.org_id = $2
FOR UPDATE;

-- name: campaign_read
SELECT campaign_json(c), c.brand_id FROM campaigns c WHERE c.id = $1 AND c.org_id = $2;

-- name: campaigns_list
-- $1 org, $2 readable brands (NULL: all), $3 brand, $4 status, $5 active on date, $6 cursor (starts_on|id), $7 limit
SELECT campaign_json(c), c.id
FROM campaigns c
WHERE c.org_id = $1
  AND ($2::uuid[] IS NULL OR c.brand_id = ANY ($2::uuid[]))
  AND ($3::uuid IS NULL OR c.brand_id = $3)
  AND ($4::text IS NULL OR c.status = $4)
  AND ($5::date IS NULL OR (coalesce(c.starts_on, '-infinity') <= $5 AND coalesce(c.ends_on, 'infinity') >= $5))
  AND ($6::uuid IS NULL OR c.id > $6)
ORDER BY c.id
LIMIT $7;

-- name: campaign_event_insert
INSERT INTO campaign_events AS e (campaign_id, kind, title, starts_at, ends_at, location, url, notes)
VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000), to_timestamp($5::double precision / 1000), $6, $7, $8)
RETURNING campaign_event_json(e)::text;

-- name: campaign_event_delete
DELETE FROM campaign_events WHERE id = $1 AND campaign_id = $2 RETURNING id;

-- name: campaign_touch
UPDATE campaigns SET updated_at = now(), version = version + 1 WHERE id = $1;

-- name: link_insert
-- Nothing when the code is taken (the caller draws another).
INSERT INTO links AS l (code, org_id, brand_id, campaign_id, post_id, account_id, target, utm, label, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
ON CONFLICT (code) DO NOTHING
RETURNING link_json(l);

-- name: link_get
SELECT link_json(l), l.brand_id FROM links l WHERE l.code = $1 AND l.org_id = $2;

-- name: link_target
-- The redirect's lookup (any organization: the code is the whole key).
SELECT target FROM links WHERE code = $1;

-- name: links_list
-- $1 org, $2 readable brands (NULL: all), $3 brand, $4 campaign, $5 cursor (created_at ms|code), $6 limit
SELECT link_json(l), (extract(epoch FROM l.created_at) * 1000)::bigint, l.code
FROM links l
WHERE l.org_id = $1
  AND ($2::uuid[] IS NULL OR l.brand_id = ANY ($2::uuid[]))
  AND ($3::uuid IS NULL OR l.brand_id = $3)
  AND ($4::uuid IS NULL OR l.campaign_id = $4)
  AND ($5::bigint IS NULL OR (extract(epoch FROM l.created_at) * 1000)::bigint < $5
       OR ((extract(epoch FROM l.created_at) * 1000)::bigint = $5 AND l.code > $6))
ORDER BY l.created_at DESC, l.code
LIMIT $7;

-- name: link_clicks_insert
-- One batch of served redirects (parallel arrays), and the links' counters, in one statement.
WITH rows AS (
  SELECT * FROM unnest($1::text[], $2::double precision[], $3::boolean[], $4::text[], $5::text[], $6::text[])
           AS r(code, at_ms, bot, referer, user_agent, visitor)
), ins AS (
  INSERT INTO link_clicks (code, at, bot, referer, user_agent, visitor)
  SELECT code, to_timestamp(at_ms / 1000), bot, referer, user_agent, visitor FROM rows
)
UPDATE links l SET clicks = l.clicks + s.people, bot_clicks = l.bot_clicks + s.bots
FROM (SELECT code, count(*) FILTER (WHERE NOT bot) AS people, count(*) FILTER (WHERE bot) AS bots
      FROM rows GROUP BY code) s
WHERE l.code = s.code;

-- name: link_daily_clicks
-- Per day (UTC) in [$2, $3): people, bots and unique visitors.
SELECT to_char(date_trunc('day', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
       count(*) FILTER (WHERE NOT bot), count(*) FILTER (WHERE bot),
       count(DISTINCT visitor) FILTER (WHERE NOT bot AND visitor <> '')
FROM link_clicks
WHERE code = $1 AND at >= to_timestamp($2::double precision / 1000) AND at < to_timestamp($3::double precision / 1000)
GROUP BY 1 ORDER BY 1;

-- name: link_referers
SELECT coalesce(nullif(referer, ''), '(direct)'), count(*)
FROM link_clicks WHERE code = $1 AND NOT bot
GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10;

-- name: link_salt
SELECT salt FROM link_salt WHERE id = 1;
