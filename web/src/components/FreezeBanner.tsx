// Shown on every page while any freeze the user can see is in force. The scope is said in the
// user's language (brand and account by name); the crisis console uses the same labels.
import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import { common } from "../i18n/common";
import { defineMessages, useLocale, useT } from "../i18n/i18n";
import { Link } from "../router";
import { useSession } from "../session";
import type { Freeze } from "../lib/freezes";

const bannerMessages = defineMessages({
  en: {
    scopeAll: "all brands, all platforms",
    scopeBrand: "brand {name}",
    scopePlatform: "every account on {name}",
    scopeAccount: "account {name}",
    scopeAccountOf: "an account of brand {name}",
    scopeCampaign: "campaign {name}",
    scopeTag: "posts tagged “{name}”",
    until: "until {time}",
    liftRequested: "Lift requested by {who}: waiting for a second person.",
  },
  "zh-CN": {
    scopeAll: "所有品牌、所有平台",
    scopeBrand: "品牌 {name}",
    scopePlatform: "{name} 上的所有账号",
    scopeAccount: "账号 {name}",
    scopeAccountOf: "品牌 {name} 的一个账号",
    scopeCampaign: "营销活动 {name}",
    scopeTag: "带“{name}”标签的内容",
    until: "至 {time}",
    liftRequested: "{who} 已申请解除：等待第二个人批准。",
  },
  "zh-TW": {
    scopeAll: "所有品牌、所有平台",
    scopeBrand: "品牌 {name}",
    scopePlatform: "{name} 上的所有帳號",
    scopeAccount: "帳號 {name}",
    scopeAccountOf: "品牌 {name} 的一個帳號",
    scopeCampaign: "行銷活動 {name}",
    scopeTag: "帶「{name}」標籤的內容",
    until: "至 {time}",
    liftRequested: "{who} 已申請解除：等待第二個人核准。",
  },
});

// English, without lookups (kept for callers outside React).
export function scopeLabel(f: Freeze, brandName: (id: string) => string): string {
  switch (f.scope.kind) {
    case "all":
      return "all brands, all platforms";
    case "brand":
      return `brand ${brandName(f.scope.value ?? "")}`;
    case "account":
      return `account ${f.scope.value}`;
    default:
      return `${f.scope.kind} ${f.scope.value ?? ""}`;
  }
}

export interface ScopeLookups {
  account?: (id: string) => string | undefined;
  campaign?: (id: string) => string | undefined;
  platform?: (name: string) => string | undefined;
}

// (freeze or {scope, brand_id}) -> "brand Acme Tea" in the current language.
export function useScopeLabel(lookups: ScopeLookups = {}) {
  const t = useT(bannerMessages);
  const { brands } = useSession();
  const { account, campaign, platform } = lookups;
  return useCallback(
    (f: Pick<Freeze, "scope"> & { brand_id?: string | null }) => {
      const value = f.scope.value ?? "";
      const brandName = (id: string) => brands.find((b) => b.id === id)?.name ?? id;
      switch (f.scope.kind) {
        case "all":
          return t("scopeAll");
        case "brand":
          return t("scopeBrand", { name: brandName(value) });
        case "platform":
          return t("scopePlatform", { name: platform?.(value) ?? value });
        case "account": {
          const name = account?.(value);
          if (name) return t("scopeAccount", { name });
          return f.brand_id ? t("scopeAccountOf", { name: brandName(f.brand_id) }) : t("scopeAccount", { name: value });
        }
        case "campaign":
          return t("scopeCampaign", { name: campaign?.(value) ?? value });
        case "tag":
          return t("scopeTag", { name: value });
        default:
          return `${f.scope.kind} ${value}`;
      }
    },
    [t, brands, account, campaign, platform],
  );
}

// Names for freezes scoped by id (an account's handle, a campaign's name), fetched once per id
// (null: not readable, and the id is shown instead).
const nameCaches = { account: new Map<string, string | null>(), campaign: new Map<string, string | null>() };

function useNames(kind: keyof typeof nameCaches, ids: string[], fetchName: (id: string) => Promise<string>) {
  const [, setVersion] = useState(0);
  const cache = nameCaches[kind];
  const key = ids.join(",");
  useEffect(() => {
    let cancelled = false;
    for (const id of key ? key.split(",") : []) {
      if (cache.has(id)) continue;
      cache.set(id, null);
      fetchName(id)
        .then((name) => {
          cache.set(id, name);
          if (!cancelled) setVersion((v) => v + 1);
        })
        .catch(() => {});
    }
    return () => {
      cancelled = true;
    };
  }, [key, cache, fetchName]);
  return useCallback((id: string) => cache.get(id) ?? undefined, [cache]);
}

const accountName = (id: string) =>
  api
    .get<{ platform: string; profile?: { handle?: string } }>(`/api/v1/accounts/${id}`)
    .then((a) => `${a.platform} @${a.profile?.handle ?? id}`);
const campaignName = (id: string) => api.get<{ name: string }>(`/api/v1/campaigns/${id}`).then((c) => c.name);

const idsOf = (freezes: Freeze[], kind: string) =>
  freezes.filter((f) => f.scope.kind === kind && f.scope.value).map((f) => f.scope.value!);

// The names of the campaigns that freezes are scoped to (the crisis console's list uses it too).
export const useCampaignNames = (freezes: Freeze[]) => useNames("campaign", idsOf(freezes, "campaign"), campaignName);

export function FreezeBanner({ freezes }: { freezes: Freeze[] }) {
  const t = useT(common);
  const tb = useT(bannerMessages);
  const { locale } = useLocale();
  const account = useNames("account", idsOf(freezes, "account"), accountName);
  const campaign = useCampaignNames(freezes);
  const label = useScopeLabel({ account, campaign });
  if (freezes.length === 0) return null;
  const f = freezes[0];
  return (
    <div className="freeze-banner" role="alert" data-testid="freeze-banner">
      <strong>{t("frozenBanner", { scope: label(f), reason: f.reason })}</strong>{" "}
      <span>{t("frozenSince", { time: new Date(f.set_at).toLocaleString(locale) })}</span>
      {f.expires_at && <span>{tb("until", { time: new Date(f.expires_at).toLocaleString(locale) })}</span>}
      {freezes.length > 1 && <span> · {t("frozenMore", { n: freezes.length - 1 })}</span>}{" "}
      {f.lift_request && <span>{tb("liftRequested", { who: f.lift_request.by_label })}</span>}{" "}
      <Link to="/crisis">{t("openConsole")}</Link>
    </div>
  );
}
