// One WebSocket to /api/v1/stream for the whole app (the server filters events by brand
// permission). Reconnects with backoff; components subscribe with useStream(handler).
// Events are JSON objects with a `type`: crisis.freeze, crisis.lift_requested, crisis.lift,
// inbox.thread, inbox.reply, inbox.note, ...
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";

export interface StreamEvent {
  type: string;
  [key: string]: unknown;
}
type Handler = (e: StreamEvent) => void;

interface StreamState {
  connected: boolean;
  subscribe: (h: Handler) => () => void;
}
const StreamContext = createContext<StreamState>({ connected: false, subscribe: () => () => {} });

export function StreamProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const handlers = useRef(new Set<Handler>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (!enabled) return;
    let ws: WebSocket | null = null;
    let closed = false;
    let delay = 500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/stream`;
      ws = new WebSocket(url);
      ws.onopen = () => {
        delay = 500;
        setConnected(true);
        // Whatever happened while we were away: let subscribers refetch.
        for (const h of handlers.current) h({ type: "stream.connected" });
      };
      ws.onmessage = (m) => {
        let e: StreamEvent;
        try {
          e = JSON.parse(String(m.data)) as StreamEvent;
        } catch {
          return;
        }
        for (const h of handlers.current) h(e);
      };
      ws.onclose = () => {
        setConnected(false);
        if (closed) return;
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, 10000);
      };
    };
    open();
    return () => {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    };
  }, [enabled]);

  const value = useRef<StreamState>({
    connected: false,
    subscribe: (h) => {
      handlers.current.add(h);
      return () => handlers.current.delete(h);
    },
  });
  return (
    <StreamContext.Provider value={{ connected, subscribe: value.current.subscribe }}>{children}</StreamContext.Provider>
  );
}

export function useStreamStatus(): boolean {
  return useContext(StreamContext).connected;
}

// Calls handler for every event (the latest handler, without resubscribing on each render).
export function useStream(handler: Handler) {
  const { subscribe } = useContext(StreamContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => subscribe((e) => ref.current(e)), [subscribe]);
}
