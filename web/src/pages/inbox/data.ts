// What the inbox reads besides its threads, loaded once per visit and kept while the page is open:
// the platforms' reply rules, the accounts the threads are on, the brands' members (to assign),
// and a row summary (author and snippet of the latest inbound item) per thread.
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api";
import type { AccountSummary, InboxThread, InboxThreadDetail, Member, PlatformCaps } from "./types";
import { latestInbound } from "./types";

export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function usePlatforms(): Map<string, PlatformCaps> {
  const [map, setMap] = useState(new Map<string, PlatformCaps>());
  useEffect(() => {
    api
      .get<{ items: PlatformCaps[] }>("/api/v1/platforms")
      .then((r) => setMap(new Map(r.items.map((p) => [p.platform, p]))))
      .catch(() => {});
  }, []);
  return map;
}

export function useAccounts(): Map<string, AccountSummary> {
  const [map, setMap] = useState(new Map<string, AccountSummary>());
  useEffect(() => {
    api
      .get<{ items: AccountSummary[] }>("/api/v1/accounts")
      .then((r) => setMap(new Map(r.items.map((a) => [a.id, a]))))
      .catch(() => {});
  }, []);
  return map;
}

// Members of a brand who may answer the inbox (their role grants inbox.reply), loaded on demand.
export function useMembers(brandId: string | undefined): { members: Member[]; error: string } {
  const cache = useRef(new Map<string, Member[]>());
  const [, bump] = useState(0);
  const [error, setError] = useState("");
  useEffect(() => {
    if (!brandId || cache.current.has(brandId)) return;
    let live = true;
    Promise.all([
      api.get<{ items: Member[] }>(`/api/v1/brands/${brandId}/members`),
      api.get<{ items: { name: string; permissions: string[] }[] }>("/api/v1/roles"),
    ])
      .then(([m, roles]) => {
        const answering = new Set(roles.items.filter((r) => r.permissions.includes("inbox.reply")).map((r) => r.name));
        cache.current.set(
          brandId,
          m.items.filter((x) => answering.has(x.role)),
        );
        if (live) {
          setError("");
          bump((n) => n + 1);
        }
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [brandId]);
  return { members: (brandId && cache.current.get(brandId)) || [], error };
}

export interface RowSummary {
  version: number;
  author: string;
  handle: string;
  snippet: string;
}

export function summarize(d: InboxThreadDetail): RowSummary {
  const last = latestInbound(d);
  return {
    version: d.version,
    author: last?.author.name || last?.author.handle || "",
    handle: last?.author.handle ?? "",
    snippet: last?.text ?? "",
  };
}

// The list API carries no author or text, so each row's summary comes from the thread itself:
// fetched for the rows shown, three at a time, and again only when the thread's version changes.
export function useRowSummaries(threads: InboxThread[]): {
  summaries: Map<number, RowSummary>;
  remember: (d: InboxThreadDetail) => void;
} {
  const [summaries, setSummaries] = useState(new Map<number, RowSummary>());
  const versions = useRef(new Map<number, number>()); // the version each summary is of
  const inFlight = useRef(new Set<number>());
  const failed = useRef(new Map<number, number>()); // id -> the version that could not be read
  const latest = useRef(threads);
  latest.current = threads;

  const remember = useCallback((d: InboxThreadDetail) => {
    if ((versions.current.get(d.id) ?? 0) >= d.version) return;
    versions.current.set(d.id, d.version);
    setSummaries((m) => new Map(m).set(d.id, summarize(d)));
  }, []);

  const pump = useCallback(() => {
    for (const t of latest.current) {
      if (inFlight.current.size >= 3) return;
      if (inFlight.current.has(t.id) || (versions.current.get(t.id) ?? 0) >= t.version) continue;
      if (failed.current.get(t.id) === t.version) continue;
      inFlight.current.add(t.id);
      api
        .get<InboxThreadDetail>(`/api/v1/inbox/threads/${t.id}`)
        .then(remember, () => failed.current.set(t.id, t.version))
        .finally(() => {
          inFlight.current.delete(t.id);
          pump();
        });
    }
  }, [remember]);

  useEffect(pump, [threads, pump]);
  return { summaries, remember };
}
