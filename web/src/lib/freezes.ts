// The freezes in force, kept current by the stream: every page's banner, the calendar's held
// marks and the crisis console read them from here.
import { useCallback, useEffect, useState } from "react";
import { api } from "../api";
import { useStream } from "../stream";

export interface FreezeScope {
  kind: "all" | "brand" | "platform" | "account" | "campaign" | "tag";
  value?: string;
}
export interface Freeze {
  id: string;
  scope: FreezeScope;
  brand_id: string | null;
  reason: string;
  set_by: string | null;
  set_by_label: string;
  set_at: string;
  expires_at: string | null;
  epoch: number;
  acknowledged_at: string | null;
  ack_ms: number | null;
  in_flight_at_ack: { send_key: string; worker: string; started_at: string }[];
  held_at_ack: number | null;
  lift_request: { by: string; by_label: string; at: string; reason: string } | null;
  lifted: { by: string | null; by_label: string; at: string } | null;
}

export function isActive(f: Freeze, now = Date.now()): boolean {
  return !f.lifted && (!f.expires_at || Date.parse(f.expires_at) > now);
}

export function useActiveFreezes(enabled = true): { freezes: Freeze[]; reload: () => void } {
  const [freezes, setFreezes] = useState<Freeze[]>([]);
  const reload = useCallback(() => {
    if (!enabled) return;
    api
      .get<{ items: Freeze[] }>("/api/v1/crisis/freezes?active=true&limit=100")
      .then((r) => setFreezes(r.items))
      .catch(() => {});
  }, [enabled]);
  useEffect(reload, [reload]);
  // An expiry ends a freeze without an event: look again when the next one is due.
  useEffect(() => {
    const next = freezes
      .map((f) => (f.expires_at ? Date.parse(f.expires_at) - Date.now() : Infinity))
      .reduce((a, b) => Math.min(a, b), Infinity);
    if (!Number.isFinite(next)) return;
    const t = setTimeout(reload, Math.max(0, next) + 500);
    return () => clearTimeout(t);
  }, [freezes, reload]);
  useStream((e) => {
    if (e.type === "stream.connected") return reload();
    if (!e.type.startsWith("crisis.")) return;
    const f = e.freeze as Freeze | undefined;
    if (f) {
      // Apply the pushed state at once, then confirm with the server.
      setFreezes((list) => {
        const rest = list.filter((x) => x.id !== f.id);
        return isActive(f) ? [f, ...rest] : rest;
      });
    }
    reload();
  });
  return { freezes, reload };
}
