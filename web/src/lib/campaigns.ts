// Campaigns and short links: typed calls to /api/v1/campaigns and /api/v1/links (services/campaigns/api/
// campaign_routes.cpp, link_routes.cpp; shapes from campaign_json and link_json in services/campaigns/
// migrations/001_campaigns.sql, plus short_url/qr_url from links.cpp and the freeze state from campaigns.cpp),
// and the CSV the links table exports in the browser.
import { api, qs, request } from "../api";

export type CampaignType = "promotion" | "interaction" | "brand_communication" | "seeding_and_selling";
export const CAMPAIGN_TYPES: CampaignType[] = ["promotion", "interaction", "brand_communication", "seeding_and_selling"];
export type CampaignStatus = "draft" | "planned" | "active" | "paused" | "completed" | "cancelled";
export const CAMPAIGN_STATUSES: CampaignStatus[] = ["draft", "planned", "active", "paused", "completed", "cancelled"];

// services/campaigns/domain/campaign.cpp kpi_metrics(); *_rate and *_share targets are fractions (0.05 = 5%).
export const KPI_METRICS = [
  "impressions",
  "reach",
  "engagements",
  "engagement_rate",
  "clicks",
  "link_clicks",
  "followers_gained",
  "video_views",
  "conversions",
  "revenue_minor",
  "leads",
  "ugc_posts",
  "mentions",
  "sentiment_positive_share",
] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];
export function isRatioMetric(m: string): boolean {
  return m.endsWith("_rate") || m.endsWith("_share");
}

// The status changes POST .../status allows (domain::can_change_status); pause and resume are separate.
export function nextStatuses(from: CampaignStatus): CampaignStatus[] {
  switch (from) {
    case "draft":
      return ["planned", "active", "cancelled"];
    case "planned":
      return ["active", "draft", "cancelled"];
    case "active":
      return ["completed", "cancelled"];
    default:
      return [];
  }
}

export interface Money {
  amount_minor: number;
  currency: string;
}

export interface FreezeState {
  id: string;
  active: boolean;
  acknowledged: boolean;
  lift_requested: boolean;
  held_at_ack: number | null;
}

export interface Campaign {
  id: string;
  brand_id: string;
  name: string;
  type: CampaignType;
  goal: string;
  theme: string;
  kpis: { metric: string; target: number }[];
  platforms: string[];
  account_ids: string[];
  rules: { eligibility?: string; timing?: string; flow?: string };
  rewards: { name: string; quantity: number; value_minor?: number | null }[];
  budget: Money | null;
  allocation: { target: string; label?: string; amount_minor: number }[];
  starts_on: string | null;
  ends_on: string | null;
  owner_id: string | null;
  status: CampaignStatus;
  freeze_id: string | null;
  freeze?: FreezeState;
  events: { id: string; kind: string; title: string; starts_at: string; ends_at: string | null }[];
  links: { count: number; clicks: number; bot_clicks: number };
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CampaignInput {
  brand_id: string;
  name: string;
  type: CampaignType;
  goal?: string;
  theme?: string;
  kpis?: { metric: string; target: number }[];
  platforms?: string[];
  budget?: Money | null;
  starts_on?: string | null;
  ends_on?: string | null;
  status?: "draft" | "planned" | "active";
}

export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}
export const UTM_FIELDS: (keyof Utm)[] = ["source", "medium", "campaign", "term", "content"];

export interface ShortLink {
  code: string;
  brand_id: string;
  campaign_id: string | null;
  post_id: string | null;
  account_id: string | null;
  target: string;
  utm: Utm;
  label: string;
  clicks: number;
  bot_clicks: number;
  created_at: string;
  short_url: string;
  qr_url: string;
}
export interface LinkDetail extends ShortLink {
  daily: { date: string; clicks: number; bot_clicks: number; unique_visitors: number }[];
  top_referers: { referer: string; clicks: number }[];
}

export const campaignsApi = {
  list: (brandId: string, status?: string, cursor?: string) =>
    api.get<{ items: Campaign[]; next_cursor: string | null }>(
      `/api/v1/campaigns${qs({ brand_id: brandId, status, cursor, limit: 100 })}`,
    ),
  create: (body: CampaignInput, idempotencyKey: string) =>
    api.post<Campaign>("/api/v1/campaigns", body, { idempotencyKey }),
  get: (id: string) => api.get<Campaign>(`/api/v1/campaigns/${id}`),
  // The ETag is "v<version>": the change applies only to the campaign as it was read.
  setStatus: async (c: Campaign, status: CampaignStatus) =>
    (await request<Campaign>("POST", `/api/v1/campaigns/${c.id}/status`, { status }, { ifMatch: `"v${c.version}"` })).data,
  pause: (id: string, reason: string) => api.post<Campaign>(`/api/v1/campaigns/${id}/pause`, { reason }),
  // The first call asks for the lift (a reason is required); a second person's call lifts it.
  resume: (id: string, reason: string) => api.post<Campaign>(`/api/v1/campaigns/${id}/resume`, { reason }),
  links: (brandId: string, campaignId: string) =>
    api.get<{ items: ShortLink[]; next_cursor: string | null }>(
      `/api/v1/links${qs({ brand_id: brandId, campaign_id: campaignId, limit: 200 })}`,
    ),
  createLink: (
    body: { brand_id: string; target: string; campaign_id?: string; label?: string; utm?: Utm },
    idempotencyKey: string,
  ) => api.post<ShortLink>("/api/v1/links", body, { idempotencyKey }),
  link: (code: string, from?: string, to?: string) => api.get<LinkDetail>(`/api/v1/links/${code}${qs({ from, to })}`),
};

// Clicks per day over several links, summed: people and bots apart, every day of `days` present.
export function sumDaily(
  days: string[],
  links: Pick<LinkDetail, "daily">[],
): { clicks: number[]; bot_clicks: number[] } {
  const index = new Map(days.map((d, i) => [d, i]));
  const clicks = days.map(() => 0);
  const bots = days.map(() => 0);
  for (const l of links) {
    for (const d of l.daily) {
      const i = index.get(d.date);
      if (i === undefined) continue;
      clicks[i] += d.clicks;
      bots[i] += d.bot_clicks;
    }
  }
  return { clicks, bot_clicks: bots };
}

// --- CSV -----------------------------------------------------------------------------------------

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. Text that a
// spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is quoted and led by
// an apostrophe, as the server's ads CSV does. Numbers are written as they are.
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  const formula = /^[=+\-@\t\r]/.test(v);
  if (!formula && !/[",\r\n]/.test(v)) return v;
  return `"${formula ? "'" : ""}${v.replace(/"/g, '""')}"`;
}

// Rows of fields -> CSV text with CRLF line ends (a header row first, as the caller gives it).
export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

export function linksCsv(links: ShortLink[]): string {
  const header = ["code", "short_url", "target", "label", ...UTM_FIELDS.map((f) => `utm_${f}`), "clicks", "bot_clicks", "created_at"];
  return toCsv([
    header,
    ...links.map((l) => [
      l.code,
      l.short_url,
      l.target,
      l.label,
      ...UTM_FIELDS.map((f) => l.utm?.[f] ?? ""),
      l.clicks,
      l.bot_clicks,
      l.created_at,
    ]),
  ]);
}

// Saves text as a file through a temporary object URL (a byte-order mark first, so that spreadsheet programs
// read the UTF-8 names right).
export function downloadText(filename: string, text: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob(["\uFEFF", text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
