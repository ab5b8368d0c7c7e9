// The inbox's API shapes (services/gateway/openapi.yaml: InboxThread, InboxItem, InboxReply,
// InboxNote; the server is services/inbox/api/inbox_routes.cpp) and the pure helpers the screens
// share: the query of the thread list, the SLA state at a given moment, the conversation's order.
import { qs } from "../../api";

export type ThreadStatus = "open" | "pending" | "resolved" | "closed";
export type InboxKind = "comment" | "mention" | "dm";
export type Sentiment = "negative" | "neutral" | "positive";
export type SlaState = "ok" | "at_risk" | "breached" | "met" | "missed";
export type ReplyStatus = "pending_approval" | "rejected" | "queued" | "sending" | "sent" | "failed" | "unknown" | "held";

export interface InboxThread {
  id: number;
  brand_id: string;
  account_id: string;
  platform: string;
  kind: InboxKind;
  platform_post_id: string;
  status: ThreadStatus;
  pending_reason: string;
  assignee_id: string | null;
  priority: number;
  sentiment: Sentiment;
  crisis: boolean;
  item_count: number;
  unanswered: number;
  waiting_since: string | null;
  sla: {
    first_response_due: string | null;
    first_response_at: string | null;
    state: SlaState;
    resolution_due: string | null;
    resolved_at: string | null;
    resolution_state: SlaState | "none";
  };
  last_item_at: string;
  created_at: string;
  updated_at: string;
  version: number;
  linked_thread_id?: number | null; // comment -> DM handoff, both ways
}

export interface InboxItem {
  id: number;
  direction: "in" | "out";
  kind: InboxKind;
  platform_item_id: string;
  platform_post_id: string;
  parent_id: string;
  conversation_id: string;
  author: { id: string; handle: string; name: string; verified: boolean };
  text: string;
  created_at: string;
  received_at: string;
  language: string;
  sentiment: Sentiment;
  sentiment_score: number;
  category: "inquiry" | "suggestion" | "complaint" | "praise" | "spam" | "other";
  priority: number;
  moderation?: "hidden" | "deleted" | "pinned" | null; // on the platform, through Herald
}

// What a person may do to an inbound item on its platform, as the platform allows (DMs: nothing;
// a deleted comment: nothing more).
export function moderationActions(item: InboxItem, ops: PlatformCaps["operations"] | undefined): ("hide" | "unhide" | "delete" | "pin")[] {
  if (item.direction !== "in" || item.kind === "dm" || !ops || item.moderation === "deleted") return [];
  const out: ("hide" | "unhide" | "delete" | "pin")[] = [];
  if (ops.hide_comment) out.push(item.moderation === "hidden" ? "unhide" : "hide");
  if (ops.pin_comment && item.moderation !== "pinned") out.push("pin");
  if (ops.delete_comment) out.push("delete");
  return out;
}

export interface InboxReply {
  id: number;
  thread_id: number;
  item_id: number;
  author_user_id: string | null;
  author: string;
  text: string;
  private: boolean;
  automated: boolean;
  status: ReplyStatus;
  attempts: number;
  platform_reply_id: string | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  reviewed_by?: string | null;
  review_note?: string | null;
}

export interface InboxNote {
  id: number;
  author_user_id: string;
  author: string;
  text: string;
  created_at: string;
}

export interface InboxThreadDetail extends InboxThread {
  items: InboxItem[];
  replies: InboxReply[];
  notes: InboxNote[];
  others_replying?: ReplyingMark[]; // the other agents writing a reply here now
  personal_data?: "shown" | "masked"; // masked for those who do not answer this inbox
}

// Someone else writing a reply in a thread (POST .../presence, pushed as inbox.presence).
export interface ReplyingMark {
  user_id: string;
  name: string;
}

// How long a "writing a reply" mark lasts without renewal (the server's is 15 s; the composer
// renews every PRESENCE_RENEW_MS while its reply box has text).
export const PRESENCE_TTL_MS = 15000;
export const PRESENCE_RENEW_MS = 10000;

// The others replying after a presence event: `replying` adds (or renews) `mark`, otherwise removes it.
export function withPresence(
  list: (ReplyingMark & { expires: number })[],
  mark: ReplyingMark,
  replying: boolean,
  now: number,
): (ReplyingMark & { expires: number })[] {
  const rest = list.filter((m) => m.user_id !== mark.user_id && m.expires > now);
  return replying ? [...rest, { user_id: mark.user_id, name: mark.name, expires: now + PRESENCE_TTL_MS }] : rest;
}

export interface ThreadPage {
  items: InboxThread[];
  next_cursor: string | null;
}

// GET /api/v1/platforms (the parts the inbox reads).
export interface PlatformCaps {
  platform: string;
  display_name: string;
  text: { max_length: number; counting: string };
  operations: { reply: boolean; dm: boolean; hide_comment?: boolean; delete_comment?: boolean; pin_comment?: boolean };
}

// GET /api/v1/accounts (the parts the inbox reads).
export interface AccountSummary {
  id: string;
  brand_id: string;
  platform: string;
  platform_account_id: string;
  sandbox: boolean;
  status: string;
  profile: { handle: string; display_name: string; verified: boolean };
}

export interface Member {
  user_id: string;
  email: string;
  display_name: string;
  role: string;
}

export interface Filters {
  status: "" | ThreadStatus;
  kind: "" | InboxKind;
  platform: string;
  assignee: "" | "me" | "none";
  sla: "" | "at_risk" | "breached";
  sort: "priority" | "recent";
}

export const DEFAULT_FILTERS: Filters = { status: "open", kind: "", platform: "", assignee: "", sla: "", sort: "priority" };
export const PAGE_SIZE = 50;
// The server's longest page: a refresh reloads every row already shown, up to this many.
export const MAX_PAGE = 200;
// Where the platform states no limit, the server allows this many code points in a reply.
export const DEFAULT_REPLY_LIMIT = 5000;

export function threadListPath(f: Filters, brandId: string, opts: { cursor?: string; limit?: number } = {}): string {
  return (
    "/api/v1/inbox/threads" +
    qs({
      brand_id: brandId,
      status: f.status,
      kind: f.kind,
      platform: f.platform,
      assignee: f.assignee,
      sla: f.sla,
      sort: f.sort,
      cursor: opts.cursor,
      limit: opts.limit ?? PAGE_SIZE,
    })
  );
}

// The first-response clock as it stands at `now` (the server's `sla.state` is as of the read).
export function slaAt(t: InboxThread, now: number): { state: SlaState; dueInMs: number | null } {
  const due = t.sla.first_response_due ? Date.parse(t.sla.first_response_due) : null;
  if (t.sla.first_response_at) {
    const at = Date.parse(t.sla.first_response_at);
    return { state: due === null || at <= due ? "met" : "missed", dueInMs: null };
  }
  if (due === null) return { state: t.sla.state, dueInMs: null };
  const left = due - now;
  return { state: left < 0 ? "breached" : left < 15 * 60 * 1000 ? "at_risk" : "ok", dueInMs: left };
}

// The resolution clock at `now`: null without a resolution target; resolved: met or missed;
// otherwise the countdown (at risk in its last hour).
export function resolutionAt(t: InboxThread, now: number): { state: SlaState; dueInMs: number | null } | null {
  if (!t.sla.resolution_due) return null;
  const due = Date.parse(t.sla.resolution_due);
  if (t.sla.resolved_at) return { state: Date.parse(t.sla.resolved_at) <= due ? "met" : "missed", dueInMs: null };
  const left = due - now;
  return { state: left < 0 ? "breached" : left < 60 * 60 * 1000 ? "at_risk" : "ok", dueInMs: left };
}

// A brand's SLA policy (GET /api/v1/inbox/sla-policies/{brand_id}; services/inbox/sla.cpp).
export interface SlaPolicy {
  brand_id: string;
  first_response_minutes: number;
  resolution_minutes: number | null;
  business_hours: BusinessHours | null;
  open_now: boolean;
  default: boolean;
  version: number;
  updated_by: string | null;
  updated_at: string | null;
}
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export interface BusinessHours {
  timezone?: string;
  weekly: Partial<Record<Weekday, [string, string][]>>;
  holidays?: string[];
}

// A day's opening hours as typed ("09:00-12:00, 13:00-18:00"; empty: closed) and back. The
// server checks them again (overlaps, order); this only catches what cannot be read.
export function parseSpans(text: string): [string, string][] | null {
  const out: [string, string][] = [];
  for (const part of text.split(",")) {
    const p = part.trim();
    if (p === "") continue;
    const m = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(p);
    if (!m) return null;
    out.push([`${m[1].padStart(2, "0")}:${m[2]}`, `${m[3].padStart(2, "0")}:${m[4]}`]);
  }
  return out;
}
export function formatSpans(spans: [string, string][] | undefined): string {
  return (spans ?? []).map(([a, b]) => `${a}-${b}`).join(", ");
}

// An SLA breach pushed by the server (inbox.sla_breach), as the alert list keeps it: the newest
// first, one per thread and clock, at most `max`.
export interface SlaBreach {
  thread_id: number;
  brand_id: string;
  sla: "first_response" | "resolution";
  due: string;
}
export function withBreach(list: SlaBreach[], b: SlaBreach, max = 5): SlaBreach[] {
  const rest = list.filter((x) => !(x.thread_id === b.thread_id && x.sla === b.sla));
  return [b, ...rest].slice(0, max);
}

// "1h 05m", "4m 09s", "12s": a span for a countdown or a waiting time.
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}

export type Entry =
  | { type: "item"; at: number; item: InboxItem; reply?: InboxReply }
  | { type: "reply"; at: number; reply: InboxReply }
  | { type: "note"; at: number; note: InboxNote };

// The conversation in one column: inbound and outbound items in the server's order, each reply
// written in Herald where it was written (a sent reply is shown once: as its outbound item, with
// its delivery status), and the internal notes, by time.
export function conversation(d: InboxThreadDetail): Entry[] {
  const byPlatformId = new Map<string, InboxReply>();
  for (const r of d.replies) if (r.platform_reply_id) byPlatformId.set(r.platform_reply_id, r);
  const shown = new Set<number>();
  const out: (Entry & { seq: number })[] = [];
  let seq = 0;
  for (const item of d.items) {
    const reply = item.direction === "out" ? byPlatformId.get(item.platform_item_id) : undefined;
    if (reply) shown.add(reply.id);
    out.push({ type: "item", at: Date.parse(item.created_at), item, reply, seq: seq++ });
  }
  for (const r of d.replies) {
    if (!shown.has(r.id)) out.push({ type: "reply", at: Date.parse(r.created_at), reply: r, seq: seq++ });
  }
  for (const n of d.notes) out.push({ type: "note", at: Date.parse(n.created_at), note: n, seq: seq++ });
  out.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return out;
}

// The item a reply answers by default: the latest inbound one (as the server chooses).
export function latestInbound(d: InboxThreadDetail): InboxItem | undefined {
  for (let i = d.items.length - 1; i >= 0; i--) if (d.items[i].direction === "in") return d.items[i];
  return undefined;
}

export function codePoints(text: string): number {
  return Array.from(text).length;
}

// How far a reply got, growing with every change (queued -> sending -> queued again to retry ->
// sending -> a final state), so that an answer arriving late never puts a reply back.
export function progress(r: InboxReply): number {
  const rank = r.status === "sending" ? 1 : r.status === "queued" ? (r.attempts > 0 ? 2 : 0) : 3;
  return r.attempts * 4 + rank;
}

export function withReply(d: InboxThreadDetail, r: InboxReply): InboxThreadDetail {
  const old = d.replies.find((x) => x.id === r.id);
  if (old && progress(old) > progress(r)) return d;
  const replies = old ? d.replies.map((x) => (x.id === r.id ? r : x)) : [...d.replies, r];
  return { ...d, replies };
}

export function withNote(d: InboxThreadDetail, n: InboxNote): InboxThreadDetail {
  if (d.notes.some((x) => x.id === n.id)) return d;
  return { ...d, notes: [...d.notes, n] };
}

// A saved reply or FAQ entry (openapi.yaml: SavedReply; services/inbox/saved_replies.cpp). Its
// text holds variables such as {{name}}, filled for a thread by POST .../threads/{id}/render.
export interface SavedReply {
  id: number;
  brand_id: string | null; // null: organization-wide
  kind: "reply" | "faq";
  title: string;
  question: string | null;
  text: string;
  source_item_id: number | null;
  use_count: number;
  last_used_at: string | null;
  created_by: string | null;
  created_by_label: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface RenderedReply {
  saved_reply_id: number;
  thread_id: number;
  text: string;
  missing: string[];
}

export interface FaqSuggestion {
  score: number;
  entry: SavedReply;
  text: string;
  missing: string[];
}

// The reply box after inserting `insert`: the text alone when the box is empty, else after what
// is there, separated by one space (or the line break already there).
export function withInserted(current: string, insert: string): string {
  if (current.trim() === "") return insert;
  return /\s$/.test(current) ? current + insert : `${current} ${insert}`;
}

// The latest reply (not failed) to one inbound item: the answer "promote to FAQ" suggests.
export function answerTo(d: InboxThreadDetail, itemId: number): string {
  const mine = d.replies.filter((r) => r.item_id === itemId && r.status !== "failed");
  return mine.length > 0 ? mine[mine.length - 1].text : "";
}
