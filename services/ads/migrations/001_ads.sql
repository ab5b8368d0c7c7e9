-- Ads (F6, issue #7): ad accounts read through the platforms' ads APIs (the adapters), their
-- campaigns, ad sets and ads, and one row of daily insights per ad and day. Money is integer minor
-- units with the currency beside it; KPIs are computed from sums at query time (never stored, never
-- averaged). A rate table converts currencies for reports across accounts.

CREATE TABLE ad_accounts (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL,
  brand_id      uuid NOT NULL,
  account_id    uuid NOT NULL,          -- the connected social account whose token reads the ads API
  platform      text NOT NULL,
  external_id   text NOT NULL,          -- the platform's ad account id (act_...)
  name          text NOT NULL DEFAULT '',
  currency      text NOT NULL DEFAULT '',
  status        text NOT NULL DEFAULT 'syncing' CHECK (status IN ('syncing', 'ok', 'error')),
  backfill_days int NOT NULL DEFAULT 30,
  synced_through date,                  -- insights are complete up to this day
  last_sync_at  timestamptz,
  last_error    text NOT NULL DEFAULT '',
  progress      jsonb NOT NULL DEFAULT '{}',  -- the running sync: {days_done, days_total, rows}
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, platform, external_id)
);

CREATE TABLE ad_entities (
  ad_account_id  uuid NOT NULL REFERENCES ad_accounts (id) ON DELETE CASCADE,
  external_id    text NOT NULL,
  level          text NOT NULL CHECK (level IN ('campaign', 'adset', 'ad')),
  parent_id      text NOT NULL DEFAULT '',
  campaign_ext   text NOT NULL DEFAULT '',   -- the ad campaign above it (itself for a campaign)
  name           text NOT NULL DEFAULT '',
  status         text NOT NULL DEFAULT '',
  objective      text NOT NULL DEFAULT '',
  ad_type        text NOT NULL DEFAULT '',
  daily_budget_minor bigint,
  campaign_id    uuid,                       -- the Herald campaign it belongs to (set by people)
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ad_account_id, external_id)
);

-- One row per ad and day. campaign_ext, adset_ext and ad_type are copied from the hierarchy so a
-- breakdown reads one table.
CREATE TABLE ad_insights (
  ad_account_id  uuid NOT NULL REFERENCES ad_accounts (id) ON DELETE CASCADE,
  ad_ext         text NOT NULL,
  day            date NOT NULL,
  campaign_ext   text NOT NULL DEFAULT '',
  adset_ext      text NOT NULL DEFAULT '',
  ad_type        text NOT NULL DEFAULT '',
  impressions    bigint NOT NULL DEFAULT 0,
  clicks         bigint NOT NULL DEFAULT 0,
  conversions    bigint NOT NULL DEFAULT 0,
  follows        bigint NOT NULL DEFAULT 0,
  spend_minor    bigint NOT NULL DEFAULT 0,
  revenue_minor  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (ad_account_id, ad_ext, day)
);
CREATE INDEX ad_insights_by_campaign ON ad_insights (ad_account_id, campaign_ext, day)
  INCLUDE (impressions, clicks, conversions, follows, spend_minor, revenue_minor);
CREATE INDEX ad_insights_by_day ON ad_insights (ad_account_id, day);

-- How many units of `quote` one unit of `base` buys (major units).
CREATE TABLE fx_rates (
  org_id      uuid NOT NULL,
  base        text NOT NULL,
  quote       text NOT NULL,
  rate        double precision NOT NULL CHECK (rate > 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, base, quote)
);

CREATE FUNCTION ads_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

CREATE FUNCTION ad_account_json(a ad_accounts) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', a.id, 'brand_id', a.brand_id, 'account_id', a.account_id, 'platform', a.platform,
    'external_id', a.external_id, 'name', a.name, 'currency', a.currency, 'status', a.status,
    'backfill_days', a.backfill_days, 'synced_through', to_char(a.synced_through, 'YYYY-MM-DD'),
    'last_sync_at', ads_ts(a.last_sync_at), 'last_error', nullif(a.last_error, ''), 'progress', a.progress,
    'entities', (SELECT json_build_object('campaigns', count(*) FILTER (WHERE level = 'campaign'),
                                          'adsets', count(*) FILTER (WHERE level = 'adset'),
                                          'ads', count(*) FILTER (WHERE level = 'ad'))
                 FROM ad_entities e WHERE e.ad_account_id = a.id),
    'created_at', ads_ts(a.created_at))::text
$$;
