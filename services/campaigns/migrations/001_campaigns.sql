-- Campaigns (F6, issue #7): the plan (type, goal and KPI targets, theme, platforms and accounts, rules,
-- rewards, budget and its allocation, dates, owner, status), its online and offline events, and the
-- tracked short links with their click log. Posts name their campaign themselves (publishing's
-- posts.campaign_id); pausing a campaign is a freeze with campaign scope, owned by the crisis service,
-- so only its id is kept here.

CREATE TABLE campaigns (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id        uuid NOT NULL,
  brand_id      uuid NOT NULL,
  name          text NOT NULL,
  type          text NOT NULL CHECK (type IN ('promotion', 'interaction', 'brand_communication', 'seeding_and_selling')),
  goal          text NOT NULL DEFAULT '',
  theme         text NOT NULL DEFAULT '',
  kpis          jsonb NOT NULL DEFAULT '[]',   -- [{metric, target}]
  platforms     text[] NOT NULL DEFAULT '{}',
  account_ids   uuid[] NOT NULL DEFAULT '{}',
  rules         jsonb NOT NULL DEFAULT '{}',   -- {eligibility, timing, flow}
  rewards       jsonb NOT NULL DEFAULT '[]',   -- [{name, quantity, value_minor}]
  budget_minor  bigint CHECK (budget_minor >= 0),
  currency      text,
  allocation    jsonb NOT NULL DEFAULT '[]',   -- [{target, label, amount_minor}]
  starts_on     date,
  ends_on       date,
  owner_id      uuid,
  status        text NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'planned', 'active', 'paused', 'completed', 'cancelled')),
  freeze_id     uuid,                          -- the crisis freeze that pauses it
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       int NOT NULL DEFAULT 1,
  CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on),
  CHECK ((budget_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX campaigns_by_brand ON campaigns (org_id, brand_id, starts_on DESC NULLS LAST, id);

CREATE TABLE campaign_events (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id  uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('online', 'offline')),
  title        text NOT NULL,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz,
  location     text NOT NULL DEFAULT '',
  url          text NOT NULL DEFAULT '',
  notes        text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at IS NULL OR starts_at <= ends_at)
);
CREATE INDEX campaign_events_by_campaign ON campaign_events (campaign_id, starts_at);

-- A tracked short link: /l/{code} redirects to target (the UTM parameters already in it).
CREATE TABLE links (
  code         text PRIMARY KEY,
  org_id       uuid NOT NULL,
  brand_id     uuid NOT NULL,
  campaign_id  uuid REFERENCES campaigns (id) ON DELETE SET NULL,
  post_id      uuid,
  account_id   uuid,
  target       text NOT NULL,
  utm          jsonb NOT NULL DEFAULT '{}',
  label        text NOT NULL DEFAULT '',
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  clicks       bigint NOT NULL DEFAULT 0,       -- people (bots filtered out)
  bot_clicks   bigint NOT NULL DEFAULT 0
);
CREATE INDEX links_by_brand ON links (org_id, brand_id, created_at DESC);
CREATE INDEX links_by_campaign ON links (campaign_id) WHERE campaign_id IS NOT NULL;

-- Every redirect served. The user agent is kept (truncated) to explain the bot verdict; the address
-- only as a keyed hash, for unique-visitor counts without storing who clicked.
CREATE TABLE link_clicks (
  id           bigserial PRIMARY KEY,
  code         text NOT NULL,
  at           timestamptz NOT NULL,
  bot          boolean NOT NULL,
  referer      text NOT NULL DEFAULT '',
  user_agent   text NOT NULL DEFAULT '',
  visitor      text NOT NULL DEFAULT ''
);
CREATE INDEX link_clicks_by_code ON link_clicks (code, at);

CREATE FUNCTION campaigns_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

CREATE FUNCTION campaign_event_json(e campaign_events) RETURNS json LANGUAGE sql STABLE AS $$
  SELECT json_build_object('id', e.id, 'kind', e.kind, 'title', e.title, 'starts_at', campaigns_ts(e.starts_at),
                           'ends_at', campaigns_ts(e.ends_at), 'location', e.location, 'url', e.url, 'notes', e.notes)
$$;

-- The API's JSON for a campaign (one definition, used by every query that returns one).
CREATE FUNCTION campaign_json(c campaigns) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', c.id, 'brand_id', c.brand_id, 'name', c.name, 'type', c.type, 'goal', c.goal, 'theme', c.theme,
    'kpis', c.kpis, 'platforms', to_json(c.platforms), 'account_ids', to_json(c.account_ids), 'rules', c.rules,
    'rewards', c.rewards,
    'budget', CASE WHEN c.budget_minor IS NULL THEN NULL
                   ELSE json_build_object('amount_minor', c.budget_minor, 'currency', c.currency) END,
    'allocation', c.allocation,
    'starts_on', to_char(c.starts_on, 'YYYY-MM-DD'), 'ends_on', to_char(c.ends_on, 'YYYY-MM-DD'),
    'owner_id', c.owner_id, 'status', c.status, 'freeze_id', c.freeze_id,
    'events', coalesce((SELECT json_agg(campaign_event_json(e) ORDER BY e.starts_at, e.id)
                        FROM campaign_events e WHERE e.campaign_id = c.id), '[]'::json),
    'links', (SELECT json_build_object('count', count(*), 'clicks', coalesce(sum(l.clicks), 0),
                                       'bot_clicks', coalesce(sum(l.bot_clicks), 0))
              FROM links l WHERE l.campaign_id = c.id),
    'posts_url', '/api/v1/posts?campaign_id=' || c.id,
    'created_at', campaigns_ts(c.created_at), 'updated_at', campaigns_ts(c.updated_at),
    'version', c.version)::text
$$;

CREATE FUNCTION link_json(l links) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'code', l.code, 'brand_id', l.brand_id, 'campaign_id', l.campaign_id, 'post_id', l.post_id,
    'account_id', l.account_id, 'target', l.target, 'utm', l.utm, 'label', l.label,
    'clicks', l.clicks, 'bot_clicks', l.bot_clicks, 'created_at', campaigns_ts(l.created_at))::text
$$;

-- The salt of link_clicks.visitor (a hash of address and user agent): drawn once, never returned.
CREATE TABLE link_salt (id int PRIMARY KEY CHECK (id = 1), salt text NOT NULL);
INSERT INTO link_salt VALUES (1, md5(random()::text || clock_timestamp()::text) || md5(random()::text));
