import { describe, expect, it } from "vitest";
import type { InboxItem, InboxReply, InboxThreadDetail } from "./types";
import {
  DEFAULT_FILTERS,
  PRESENCE_TTL_MS,
  answerTo,
  conversation,
  formatSpans,
  moderationActions,
  parseSpans,
  resolutionAt,
  withBreach,
  formatSpan,
  slaAt,
  threadListPath,
  withInserted,
  withPresence,
  withReply,
} from "./types";

const T0 = Date.parse("2026-03-01T10:00:00Z");
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function item(id: number, direction: "in" | "out", at: number, platformId = `p${id}`): InboxItem {
  return {
    id,
    direction,
    kind: "comment",
    platform_item_id: platformId,
    platform_post_id: "post1",
    parent_id: "",
    conversation_id: "",
    author: { id: "a", handle: "lin", name: "Lin", verified: false },
    text: `text ${id}`,
    created_at: iso(at),
    received_at: iso(at),
    language: "en",
    sentiment: "neutral",
    sentiment_score: 0,
    category: "other",
    priority: 10,
  };
}

function reply(id: number, status: InboxReply["status"], attempts: number, at: number, platformId: string | null = null): InboxReply {
  return {
    id,
    thread_id: 1,
    item_id: 1,
    author_user_id: "u",
    author: "Mei",
    text: `reply ${id}`,
    private: false,
    automated: false,
    status,
    attempts,
    platform_reply_id: platformId,
    error: null,
    created_at: iso(at),
    sent_at: null,
  };
}

function thread(items: InboxItem[], replies: InboxReply[] = []): InboxThreadDetail {
  return {
    id: 1,
    brand_id: "b",
    account_id: "acc",
    platform: "x",
    kind: "comment",
    platform_post_id: "post1",
    status: "open",
    pending_reason: "",
    assignee_id: null,
    priority: 10,
    sentiment: "neutral",
    crisis: false,
    item_count: items.length,
    unanswered: 1,
    waiting_since: iso(0),
    sla: {
      first_response_due: iso(3600_000),
      first_response_at: null,
      state: "ok",
      resolution_due: null,
      resolved_at: null,
      resolution_state: "none",
    },
    last_item_at: iso(0),
    created_at: iso(0),
    updated_at: iso(0),
    version: 1,
    items,
    replies,
    notes: [],
  };
}

describe("conversation", () => {
  it("shows a sent reply once, as its outbound item with its status, and queued ones by time", () => {
    const d = thread(
      [item(1, "in", 0), item(2, "out", 2000, "sent-1"), item(3, "in", 5000)],
      [reply(10, "sent", 1, 1000, "sent-1"), reply(11, "queued", 0, 6000)],
    );
    const e = conversation(d);
    expect(e.map((x) => x.type)).toEqual(["item", "item", "item", "reply"]);
    expect(e[1].type === "item" && e[1].reply?.id).toBe(10);
    expect(e[3].type === "reply" && e[3].reply.id).toBe(11);
  });
});

describe("withReply", () => {
  it("never puts a reply back to an earlier state", () => {
    const d = thread([item(1, "in", 0)], [reply(10, "sent", 1, 0, "x1")]);
    expect(withReply(d, reply(10, "queued", 0, 0)).replies[0].status).toBe("sent");
    const retrying = thread([item(1, "in", 0)], [reply(10, "sending", 1, 0)]);
    expect(withReply(retrying, reply(10, "queued", 1, 0)).replies[0].status).toBe("queued");
    expect(withReply(retrying, reply(11, "queued", 0, 0)).replies).toHaveLength(2);
  });
});

describe("slaAt", () => {
  it("counts down, warns within 15 minutes and breaches when overdue", () => {
    const d = thread([item(1, "in", 0)]);
    expect(slaAt(d, T0).state).toBe("ok");
    expect(slaAt(d, T0 + 50 * 60_000).state).toBe("at_risk");
    const over = slaAt(d, T0 + 61 * 60_000);
    expect(over.state).toBe("breached");
    expect(formatSpan(over.dueInMs ?? 0)).toBe("1m 00s");
    expect(slaAt({ ...d, sla: { ...d.sla, first_response_at: iso(60_000) } }, T0 + 7200_000).state).toBe("met");
  });
});

describe("threadListPath", () => {
  it("sends only the filters set", () => {
    expect(threadListPath(DEFAULT_FILTERS, "")).toBe("/api/v1/inbox/threads?status=open&sort=priority&limit=50");
    expect(threadListPath({ ...DEFAULT_FILTERS, status: "", assignee: "none", kind: "dm" }, "b1", { cursor: "5.9" })).toBe(
      "/api/v1/inbox/threads?brand_id=b1&kind=dm&assignee=none&sort=priority&cursor=5.9&limit=50",
    );
    expect(formatSpan(3 * 3600_000 + 5 * 60_000)).toBe("3h 05m");
  });
});

describe("withPresence", () => {
  const ravi = { user_id: "u2", name: "Ravi" };
  const anna = { user_id: "u3", name: "Anna" };
  it("adds, renews and removes one agent's mark without touching the others'", () => {
    let list = withPresence([], ravi, true, T0);
    list = withPresence(list, anna, true, T0 + 1000);
    list = withPresence(list, ravi, true, T0 + 2000);
    expect(list.map((m) => m.name)).toEqual(["Anna", "Ravi"]);
    expect(list.find((m) => m.user_id === "u2")?.expires).toBe(T0 + 2000 + PRESENCE_TTL_MS);
    expect(withPresence(list, ravi, false, T0 + 3000).map((m) => m.name)).toEqual(["Anna"]);
  });
  it("drops marks that lapsed", () => {
    const list = withPresence([], ravi, true, T0);
    expect(withPresence(list, anna, true, T0 + PRESENCE_TTL_MS + 1).map((m) => m.name)).toEqual(["Anna"]);
  });
});

describe("saved replies in the reply box", () => {
  it("fills an empty box and follows what is written with one space", () => {
    expect(withInserted("", "Thanks Lin")).toBe("Thanks Lin");
    expect(withInserted("  \n", "Thanks Lin")).toBe("Thanks Lin");
    expect(withInserted("Hi,", "thanks Lin")).toBe("Hi, thanks Lin");
    expect(withInserted("Hi,\n", "thanks Lin")).toBe("Hi,\nthanks Lin");
  });
  it("suggests the latest answer to an item that did not fail, for promoting it to the FAQ", () => {
    const r1 = { ...reply(1, "sent", 1, 10), text: "first" };
    const r2 = { ...reply(2, "failed", 5, 20), text: "failed one" };
    const other = { ...reply(3, "sent", 1, 30), item_id: 2, text: "to another item" };
    const d = thread([item(1, "in", 0), item(2, "in", 5)], [r1, r2, other]);
    expect(answerTo(d, 1)).toBe("first");
    expect(answerTo(d, 2)).toBe("to another item");
    expect(answerTo(d, 9)).toBe("");
  });
});

describe("SLA policy and alerts", () => {
  it("reads a day's opening hours as typed and writes them back", () => {
    expect(parseSpans("09:00-12:00, 13:00 - 18:00")).toEqual([
      ["09:00", "12:00"],
      ["13:00", "18:00"],
    ]);
    expect(parseSpans("9:00-17:30")).toEqual([["09:00", "17:30"]]);
    expect(parseSpans("  ")).toEqual([]);
    expect(parseSpans("9am-5pm")).toBeNull();
    expect(parseSpans("09:00-12:00, lunch")).toBeNull();
    expect(formatSpans([["09:00", "12:00"], ["13:00", "18:00"]])).toBe("09:00-12:00, 13:00-18:00");
    expect(formatSpans(undefined)).toBe("");
  });
  it("counts the resolution clock down, at risk in its last hour, and stops it when resolved", () => {
    const t = thread([item(1, "in", 0)]);
    expect(resolutionAt(t, T0)).toBeNull();
    t.sla.resolution_due = iso(2 * 3600_000);
    expect(resolutionAt(t, T0)).toEqual({ state: "ok", dueInMs: 2 * 3600_000 });
    expect(resolutionAt(t, T0 + 1.5 * 3600_000)?.state).toBe("at_risk");
    expect(resolutionAt(t, T0 + 3 * 3600_000)).toEqual({ state: "breached", dueInMs: -3600_000 });
    t.sla.resolved_at = iso(3600_000);
    expect(resolutionAt(t, T0 + 5 * 3600_000)).toEqual({ state: "met", dueInMs: null });
    t.sla.resolved_at = iso(3 * 3600_000);
    expect(resolutionAt(t, T0 + 5 * 3600_000)?.state).toBe("missed");
  });
  it("keeps the newest alerts, one per thread and clock", () => {
    const a = { thread_id: 1, brand_id: "b", sla: "first_response" as const, due: iso(0) };
    const b = { ...a, sla: "resolution" as const };
    const c = { ...a, thread_id: 2 };
    let list = withBreach([], a);
    list = withBreach(list, b);
    list = withBreach(list, c);
    expect(list.map((x) => `${x.thread_id}:${x.sla}`)).toEqual(["2:first_response", "1:resolution", "1:first_response"]);
    expect(withBreach(list, a).map((x) => `${x.thread_id}:${x.sla}`)).toEqual(["1:first_response", "2:first_response", "1:resolution"]);
    expect(withBreach(list, { ...a, thread_id: 9 }, 2)).toHaveLength(2);
  });
});

describe("moderation", () => {
  it("offers what the platform allows for inbound comments, and nothing for DMs or deleted ones", () => {
    const ops = { reply: true, dm: true, hide_comment: true, delete_comment: true, pin_comment: false };
    const c = item(1, "in", 0);
    expect(moderationActions(c, ops)).toEqual(["hide", "delete"]);
    expect(moderationActions({ ...c, moderation: "hidden" }, ops)).toEqual(["unhide", "delete"]);
    expect(moderationActions({ ...c, moderation: "deleted" }, ops)).toEqual([]);
    expect(moderationActions({ ...c, kind: "dm" }, ops)).toEqual([]);
    expect(moderationActions(item(2, "out", 0), ops)).toEqual([]);
    expect(moderationActions(c, { reply: true, dm: true })).toEqual([]);
    expect(moderationActions(c, { ...ops, pin_comment: true })).toEqual(["hide", "pin", "delete"]);
    expect(moderationActions(c, undefined)).toEqual([]);
  });
});
