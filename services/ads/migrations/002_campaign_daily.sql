-- A daily roll-up per ad campaign: what reports by day, week, month, campaign or in total read
-- (365 rows per campaign-year instead of one per ad and day). Refreshed by each sync for the days
-- it wrote (ad_rollup_refresh), from ad_insights, which stays the record.
CREATE TABLE ad_campaign_daily (
  ad_account_id  uuid NOT NULL REFERENCES ad_accounts (id) ON DELETE CASCADE,
  campaign_ext   text NOT NULL,
  day            date NOT NULL,
  impressions    bigint NOT NULL,
  clicks         bigint NOT NULL,
  conversions    bigint NOT NULL,
  follows        bigint NOT NULL,
  spend_minor    bigint NOT NULL,
  revenue_minor  bigint NOT NULL,
  PRIMARY KEY (ad_account_id, campaign_ext, day)
);

INSERT INTO ad_campaign_daily
SELECT ad_account_id, campaign_ext, day, sum(impressions), sum(clicks), sum(conversions), sum(follows),
       sum(spend_minor), sum(revenue_minor)
FROM ad_insights GROUP BY 1, 2, 3;
