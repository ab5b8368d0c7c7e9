-- Webhook deliveries name the receiving account by its platform id: find it without a scan.
CREATE INDEX accounts_by_platform_account ON accounts (platform, platform_account_id);
