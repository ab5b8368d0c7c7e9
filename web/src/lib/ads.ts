// Ads: typed calls to /api/v1/ads (services/ads/api/ads_routes.cpp; shapes from services/ads/ads.cpp and
// ad_account_json in services/ads/migrations/001_ads.sql), and the formatting of money and KPIs that the ads
// and campaign dashboards share. Money is integer minor units with an ISO 4217 currency; a KPI that is null
// means "no data" (its denominator was zero) and is shown as "–", never as 0.
import { api, qs } from "../api";

// --- Money ---------------------------------------------------------------------------------------

// ISO 4217 minor units, as services/core/util/currency.cpp counts them: every active code not listed has 2.
// Intl's own digits differ for some (CLDR gives IQD, LAK, RSD... 0), so amounts are never scaled by Intl.
const ZERO_DIGITS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" ");
const THREE_DIGITS = "BHD IQD JOD KWD LYD OMR TND".split(" ");
const FOUR_DIGITS = ["CLF", "UYW"];

export function minorDigits(currency: string): number {
  const c = currency.toUpperCase();
  if (ZERO_DIGITS.includes(c)) return 0;
  if (THREE_DIGITS.includes(c)) return 3;
  if (FOUR_DIGITS.includes(c)) return 4;
  return 2;
}

export const NO_DATA = "–";

function isCurrencyCode(c: string): boolean {
  return /^[A-Z]{3}$/.test(c);
}

// 123456 minor units of USD -> "$1,234.56" (en), JPY 1234 -> "¥1,234", KWD 1234 -> "KWD 1.234". Fractional minor
// units (a CPC of 12.7 cents) round to the currency's digits. null/undefined -> "–".
export function formatMoney(minor: number | null | undefined, currency: string, locale = "en"): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return NO_DATA;
  const digits = minorDigits(currency);
  const major = minor / 10 ** digits;
  if (!isCurrencyCode(currency)) {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(major);
  }
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(major);
}

// "1200.50" in CNY -> 120050; exact (no floating point), as the server's parse_major_amount: null for text that
// is not a plain decimal, or that has more decimals than the currency has. Grouping commas/spaces are allowed.
export function parseMajorAmount(text: string, currency: string): number | null {
  const t = text.trim().replace(/[,\s\u00a0]/g, "");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return null;
  const digits = minorDigits(currency);
  const frac = m[2] ?? "";
  if (frac.length > digits) return null;
  const minor = Number(m[1] + frac.padEnd(digits, "0"));
  return Number.isSafeInteger(minor) ? minor : null;
}

export function formatInteger(n: number | null | undefined, locale = "en"): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_DATA;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

// A fraction as a percentage with two decimals: 0.025 -> "2.50%".
export function formatPercent(v: number | null | undefined, locale = "en"): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NO_DATA;
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}

// --- KPIs ----------------------------------------------------------------------------------------

export interface Totals {
  impressions: number;
  clicks: number;
  conversions: number;
  follows: number;
  spend_minor: number;
  revenue_minor: number;
}
export interface Kpis {
  ctr: number | null;
  cpc_minor: number | null;
  cpm_minor: number | null;
  cvr: number | null;
  cpa_minor: number | null;
  roas: number | null;
  roi: number | null;
  follow_rate: number | null;
}
export type KpiKey = keyof Kpis;
export const SUMMARY_KPIS: KpiKey[] = ["ctr", "cpc_minor", "cpm_minor", "cvr", "cpa_minor", "roas"];

// One KPI for people: ratios as percentages, costs as money of the report's currency, ROAS as a multiple.
export function formatKpi(key: KpiKey, value: number | null | undefined, currency: string, locale = "en"): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_DATA;
  switch (key) {
    case "ctr":
    case "cvr":
    case "follow_rate":
    case "roi":
      return formatPercent(value, locale);
    case "cpc_minor":
    case "cpm_minor":
    case "cpa_minor":
      return formatMoney(value, currency, locale);
    case "roas":
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value) + "×";
  }
}

// --- Days ----------------------------------------------------------------------------------------

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

// The local calendar day of `d` as YYYY-MM-DD.
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// The last n days up to and including today (local): {from, to}.
export function lastDays(n: number, now = new Date()): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (n - 1));
  return { from: localDay(start), to: localDay(now) };
}

// Every day from `from` to `to` (YYYY-MM-DD, inclusive); at most 400.
export function daysBetween(from: string, to: string): string[] {
  const a = Date.parse(from + "T00:00:00Z");
  const b = Date.parse(to + "T00:00:00Z");
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return [];
  const out: string[] = [];
  for (let t = a; t <= b && out.length < 400; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

// A daily series over [from, to] from a report grouped by day (rows only where something was delivered):
// a missing day counts 0 when the data is complete for it, null (no data yet) after `syncedThrough`.
export function dailySeries(
  from: string,
  to: string,
  rows: { key: string; totals: Totals }[],
  pick: (t: Totals) => number,
  syncedThrough?: string | null,
): { days: string[]; values: (number | null)[] } {
  const byDay = new Map(rows.map((r) => [r.key, r.totals]));
  const days = daysBetween(from, to);
  const values = days.map((d) => {
    const t = byDay.get(d);
    if (t) return pick(t);
    return syncedThrough && d > syncedThrough ? null : 0;
  });
  return { days, values };
}

// --- The API -------------------------------------------------------------------------------------

export interface AdAccount {
  id: string;
  brand_id: string;
  account_id: string; // the connected social account that reads the ads API
  platform: string;
  external_id: string; // act_...
  name: string;
  currency: string;
  status: "syncing" | "ok" | "error";
  backfill_days: number;
  synced_through: string | null;
  last_sync_at: string | null;
  last_error: string | null;
  progress: { days_done?: number; days_total?: number; rows?: number; error?: string };
  entities: { campaigns: number; adsets: number; ads: number };
  created_at: string;
}

export type GroupBy = "day" | "week" | "month" | "campaign" | "adset" | "ad" | "ad_type" | "total";
export const GROUP_BYS: GroupBy[] = ["campaign", "adset", "ad", "ad_type", "day", "week", "month", "total"];

export interface ReportRow {
  key: string;
  name?: string;
  totals: Totals;
  kpis: Kpis;
}
export interface Report {
  from: string;
  to: string;
  group_by: GroupBy;
  currency: string;
  rows: ReportRow[];
  total: { totals: Totals; kpis: Kpis };
  formulas: Record<string, string>;
  ad_accounts: string[];
}

export interface ReportParams {
  adAccountIds: string[];
  from: string;
  to: string;
  groupBy: GroupBy;
  currency?: string;
  adCampaign?: string;
  campaignId?: string;
}

function reportQuery(p: ReportParams, format?: "csv"): string {
  return qs({
    ad_account_id: p.adAccountIds.join(","),
    from: p.from,
    to: p.to,
    group_by: p.groupBy,
    currency: p.currency,
    ad_campaign: p.adCampaign,
    campaign_id: p.campaignId,
    format,
  });
}

export interface Alert {
  kind: "spend_ahead_of_pace" | "cpc_spike" | string;
  severity: "high" | "medium" | string;
  ad_campaign: string;
  name: string;
  message: string;
  currency?: string;
}

export type AbMetric = "ctr" | "cvr" | "follow_rate";
export interface AbResult {
  metric: AbMetric;
  a: { ad: string; totals: Totals; rate: number };
  b: { ad: string; totals: Totals; rate: number };
  lift: number | null;
  z: number;
  p_value: number;
  enough_data: boolean;
  significant: boolean;
  winner: string | null;
  verdict: string;
  test: string;
}

export const adsApi = {
  accounts: (brandId: string) =>
    api.get<{ items: AdAccount[] }>(`/api/v1/ads/accounts${qs({ brand_id: brandId })}`).then((r) => r.items),
  report: (p: ReportParams, signal?: AbortSignal) => api.get<Report>(`/api/v1/ads/report${reportQuery(p)}`, { signal }),
  // The same report as a spreadsheet: a plain link (same origin, the session cookie) downloads it.
  csvUrl: (p: ReportParams) => `/api/v1/ads/report${reportQuery(p, "csv")}`,
  alerts: (id: string) => api.get<{ day: string; alerts: Alert[] }>(`/api/v1/ads/accounts/${id}/alerts`),
  abTest: (id: string, body: { a: string; b: string; metric: AbMetric; from: string; to: string }) =>
    api.post<AbResult>(`/api/v1/ads/accounts/${id}/ab-test`, body),
};
