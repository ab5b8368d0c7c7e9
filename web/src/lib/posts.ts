// Posts as the calendar lists them, their lifecycle states (labels in three locales, colours),
// and scheduling (POST /api/v1/posts/{id}/schedule), shared by the calendar, the composer, the
// approvals queue and the held lane.
import { api, qs } from "../api";
import { defineMessages } from "../i18n/i18n";

export type TargetState =
  | "DRAFT"
  | "IN_REVIEW"
  | "APPROVED"
  | "SCHEDULED"
  | "DISPATCHED"
  | "SENDING"
  | "PUBLISHED"
  | "FAILED"
  | "UNKNOWN"
  | "HELD"
  | "EXPIRED"
  | "CANCELLED";
export type PostStatus = TargetState | "MIXED";

export interface PostSummary {
  id: string;
  brand_id: string;
  title: string;
  content_type: string;
  form: string;
  campaign_id: string | null;
  tags: string[];
  scheduled_at: string | null;
  zone: string | null;
  local_time: string | null;
  version: number;
  status: PostStatus;
  targets: { id: string; account_id: string; platform: string; state: TargetState }[];
}

export const STATES: PostStatus[] = [
  "DRAFT",
  "IN_REVIEW",
  "APPROVED",
  "SCHEDULED",
  "DISPATCHED",
  "SENDING",
  "PUBLISHED",
  "FAILED",
  "UNKNOWN",
  "HELD",
  "EXPIRED",
  "CANCELLED",
  "MIXED",
];

export const stateLabels = defineMessages<PostStatus>({
  en: {
    DRAFT: "Draft",
    IN_REVIEW: "In review",
    APPROVED: "Approved",
    SCHEDULED: "Scheduled",
    DISPATCHED: "Dispatched",
    SENDING: "Sending",
    PUBLISHED: "Published",
    FAILED: "Failed",
    UNKNOWN: "Unknown outcome",
    HELD: "Held (frozen)",
    EXPIRED: "Expired",
    CANCELLED: "Cancelled",
    MIXED: "Mixed",
  },
  "zh-CN": {
    DRAFT: "草稿",
    IN_REVIEW: "审批中",
    APPROVED: "已审批",
    SCHEDULED: "已排期",
    DISPATCHED: "已派发",
    SENDING: "发送中",
    PUBLISHED: "已发布",
    FAILED: "失败",
    UNKNOWN: "结果未知",
    HELD: "已暂扣（冻结）",
    EXPIRED: "已过期",
    CANCELLED: "已取消",
    MIXED: "多种状态",
  },
  "zh-TW": {
    DRAFT: "草稿",
    IN_REVIEW: "審批中",
    APPROVED: "已審批",
    SCHEDULED: "已排程",
    DISPATCHED: "已派發",
    SENDING: "傳送中",
    PUBLISHED: "已發布",
    FAILED: "失敗",
    UNKNOWN: "結果未知",
    HELD: "已暫扣（凍結）",
    EXPIRED: "已過期",
    CANCELLED: "已取消",
    MIXED: "多種狀態",
  },
});

// The states whose slot may be (re)set: the server reschedules these and refuses the others.
export const MOVABLE: PostStatus[] = ["APPROVED", "SCHEDULED", "HELD", "FAILED"];

export interface CalendarQuery {
  from?: string;
  to?: string;
  brand_id?: string;
  account_id?: string;
  status?: string;
  tag?: string;
}

// Every page of the calendar query (500 a page).
export async function listPosts(q: CalendarQuery, signal?: AbortSignal): Promise<PostSummary[]> {
  const out: PostSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: PostSummary[]; next_cursor: string | null } = await api.get(
      `/api/v1/posts${qs({ ...q, limit: 500, cursor: cursor ?? undefined })}`,
      { signal },
    );
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < 5000);
  return out;
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function toUtcIso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export async function schedulePost(id: string, at: Date, zone: string) {
  return api.post(`/api/v1/posts/${id}/schedule`, { scheduled_at: toUtcIso(at), zone });
}
