// The inbox (community managers' journey): every comment, mention and DM thread of the brand in
// one list, the open thread's conversation and reply box, and its context (status, assignee, SLA).
// Addresses: /inbox and /inbox/<thread id>. Live: the list and the open thread follow the
// WebSocket (inbox.thread, inbox.reply, inbox.note) and reload after each reconnect.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { ApiError, describeError, request } from "../../api";
import { useRoute, useRouter } from "../../router";
import { useSession } from "../../session";
import { useStream } from "../../stream";
import { ContextPane } from "./ContextPane";
import { useAccounts, useMembers, useNow, usePlatforms, useRowSummaries } from "./data";
import { useInboxT } from "./messages";
import { ShortcutHelp } from "./ShortcutHelp";
import { SlaAlerts, SlaPolicyDialog } from "./SlaPolicy";
import { TeamDialog } from "./Team";
import { ReportsDialog } from "./Reports";
import { ThreadList } from "./ThreadList";
import { ThreadPane } from "./ThreadPane";
import type { Filters, InboxNote, InboxReply, InboxThread, InboxThreadDetail, ReplyingMark, SlaBreach, ThreadPage, ThreadStatus } from "./types";
import { DEFAULT_FILTERS, MAX_PAGE, PAGE_SIZE, PRESENCE_TTL_MS, threadListPath, withBreach, withNote, withPresence, withReply } from "./types";
import "./inbox.css";

const FILTERS_KEY = "herald.inbox.filters";

function savedFilters(): Filters {
  try {
    const f = JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? "null") as Partial<Filters> | null;
    return { ...DEFAULT_FILTERS, ...(f ?? {}) };
  } catch {
    return DEFAULT_FILTERS;
  }
}

function isField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

export default function InboxPage() {
  const t = useInboxT();
  const { brandId, brands, user, can } = useSession();
  const route = useRoute();
  const { navigate } = useRouter();
  const openId = route[1] && /^\d+$/.test(route[1]) ? Number(route[1]) : null;
  const now = useNow(1000);
  const platforms = usePlatforms();
  const accounts = useAccounts();

  // --- The list ------------------------------------------------------------------------------
  const [filters, setFiltersState] = useState<Filters>(savedFilters);
  const [threads, setThreads] = useState<InboxThread[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [listLoading, setListLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [listError, setListError] = useState("");
  const listSeq = useRef(0);
  const shown = useRef(0);
  shown.current = threads.length;

  const setFilters = (f: Filters) => {
    sessionStorage.setItem(FILTERS_KEY, JSON.stringify(f));
    setFiltersState(f);
  };

  // Reloads the first page, as many rows as are shown (a refresh keeps "load more" pages).
  const reloadList = useCallback(
    async (reset = false) => {
      const seq = ++listSeq.current;
      const limit = reset ? PAGE_SIZE : Math.min(MAX_PAGE, Math.max(PAGE_SIZE, shown.current));
      setListLoading(true);
      try {
        const page = (await request<ThreadPage>("GET", threadListPath(filters, brandId, { limit }))).data;
        if (seq !== listSeq.current) return;
        setThreads(page.items);
        setCursor(page.next_cursor);
        setListError("");
      } catch (e) {
        if (seq === listSeq.current) setListError(describeError(e));
      } finally {
        if (seq === listSeq.current) setListLoading(false);
      }
    },
    [filters, brandId],
  );

  useEffect(() => {
    setThreads([]);
    setCursor(null);
    void reloadList(true);
  }, [reloadList]);

  const loadMore = async () => {
    if (!cursor) return;
    const seq = listSeq.current;
    setLoadingMore(true);
    try {
      const page = (await request<ThreadPage>("GET", threadListPath(filters, brandId, { cursor }))).data;
      if (seq !== listSeq.current) return; // the list was reloaded meanwhile
      setThreads((list) => {
        const have = new Set(list.map((x) => x.id));
        return [...list, ...page.items.filter((x) => !have.has(x.id))];
      });
      setCursor(page.next_cursor);
    } catch (e) {
      setListError(describeError(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const { summaries, remember } = useRowSummaries(threads);

  // --- The open thread -------------------------------------------------------------------------
  const [detail, setDetail] = useState<InboxThreadDetail | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [detailLoading, setDetailLoading] = useState(false);
  const [detailError, setDetailError] = useState("");
  const [actionBusy, setActionBusy] = useState(false);
  const [actionError, setActionError] = useState("");
  const detailSeq = useRef(0);
  // The other agents writing a reply in the open thread, each until its mark lapses.
  type Others = (ReplyingMark & { expires: number })[];
  const [replying, setReplying] = useState<Others>([]);
  useEffect(() => {
    if (replying.length === 0) return;
    const next = Math.min(...replying.map((m) => m.expires)) - Date.now();
    const timer = setTimeout(() => setReplying((list) => list.filter((m) => m.expires > Date.now())), Math.max(next, 0) + 50);
    return () => clearTimeout(timer);
  }, [replying]);

  const reloadThread = useCallback(async () => {
    if (openId === null) return;
    const seq = ++detailSeq.current;
    setDetailLoading(true);
    try {
      const r = await request<InboxThreadDetail>("GET", `/api/v1/inbox/threads/${openId}`);
      if (seq !== detailSeq.current) return;
      setDetail(r.data);
      setEtag(r.etag);
      const until = Date.now() + PRESENCE_TTL_MS;
      setReplying((r.data.others_replying ?? []).map((m) => ({ user_id: m.user_id, name: m.name, expires: until })));
      setDetailError("");
      remember(r.data);
    } catch (e) {
      if (seq !== detailSeq.current) return;
      if (e instanceof ApiError && e.status === 404) {
        setDetail(null);
        setDetailError(t("notFound"));
      } else setDetailError(describeError(e));
    } finally {
      if (seq === detailSeq.current) setDetailLoading(false);
    }
  }, [openId, remember, t]);

  useEffect(() => {
    setDetail(null);
    setEtag(null);
    setReplying([]);
    setDetailError("");
    setActionError("");
    void reloadThread();
  }, [reloadThread]);

  // --- Live ------------------------------------------------------------------------------------
  const listTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const threadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const soonList = () => {
    clearTimeout(listTimer.current);
    listTimer.current = setTimeout(() => void reloadList(), 150);
  };
  const soonThread = () => {
    clearTimeout(threadTimer.current);
    threadTimer.current = setTimeout(() => void reloadThread(), 150);
  };
  useEffect(
    () => () => {
      clearTimeout(listTimer.current);
      clearTimeout(threadTimer.current);
    },
    [],
  );
  useStream((e) => {
    if (e.type === "stream.connected") {
      soonList();
      soonThread();
      return;
    }
    if (!e.type.startsWith("inbox.")) return;
    const data = (e.data ?? {}) as Record<string, unknown>;
    if (e.type === "inbox.thread") {
      const th = data as unknown as InboxThread;
      // Shown at once where it is listed; the reload then places it (and finds new threads).
      setThreads((list) => list.map((x) => (x.id === th.id && th.version >= x.version ? { ...x, ...th } : x)));
      soonList();
      if (th.id === openId) soonThread();
    } else if (e.type === "inbox.reply") {
      const r = data as unknown as InboxReply;
      if (r.thread_id === openId) {
        setDetail((d) => (d && d.id === r.thread_id ? withReply(d, r) : d));
        soonThread();
      }
      soonList();
    } else if (e.type === "inbox.presence") {
      if (data.thread_id === openId && typeof data.user_id === "string" && data.user_id !== user?.id) {
        const mark = { user_id: data.user_id, name: String(data.name ?? "") };
        setReplying((list) => withPresence(list, mark, data.replying === true, Date.now()));
      }
    } else if (e.type === "inbox.sla_breach") {
      const b = data as unknown as SlaBreach;
      if (typeof b.thread_id === "number") setAlerts((list) => withBreach(list, b));
      soonList();
      if (b.thread_id === openId) soonThread();
    } else if (e.type === "inbox.moderation") {
      if (data.thread_id === openId) soonThread();
    } else if (e.type === "inbox.note") {
      const n = data.note as InboxNote | undefined;
      if (data.thread_id === openId && n) setDetail((d) => (d ? withNote(d, n) : d));
    }
  });

  // --- Actions ---------------------------------------------------------------------------------
  const canReply = detail ? can("inbox.reply", detail.brand_id) : false;
  const canAssign = detail ? can("inbox.assign", detail.brand_id) : false;
  // The brands whose SLA policy the signed-in person sets (brand.manage).
  const managed = brands.filter((b) => can("brand.manage", b.id)).map((b) => b.id);
  // The brands whose inbox they answer (their team and routing).
  const answered = brands.filter((b) => can("inbox.reply", b.id)).map((b) => b.id);
  // The brands whose inbox reports they read.
  const reported = brands.filter((b) => can("analytics.read", b.id) || can("inbox.assign", b.id)).map((b) => b.id);

  const act = async (path: string, body: unknown) => {
    if (!detail) return;
    setActionBusy(true);
    setActionError("");
    try {
      const r = await request<InboxThread>("POST", `/api/v1/inbox/threads/${detail.id}/${path}`, body, {
        ifMatch: etag ?? undefined,
      });
      setDetail((d) => (d && d.id === r.data.id ? { ...d, ...r.data } : d));
      setEtag(r.etag);
      setThreads((list) => list.map((x) => (x.id === r.data.id ? r.data : x)));
      soonList();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        setActionError(t("staleVersion"));
        void reloadThread();
      } else setActionError(describeError(e));
    } finally {
      setActionBusy(false);
    }
  };
  const setStatus = (status: ThreadStatus, reason?: string) =>
    void act("status", reason === undefined ? { status } : { status, reason });
  const assign = (userId: string | null) => void act("assign", { assignee_id: userId });

  const { members, error: membersError } = useMembers(detail?.brand_id);

  // --- Navigation and shortcuts ---------------------------------------------------------------
  const [cursorId, setCursorId] = useState<number | null>(null);
  const [help, setHelp] = useState(false);
  const [savedOpen, setSavedOpen] = useState(false);
  const [policyOpen, setPolicyOpen] = useState(false);
  const [teamOpen, setTeamOpen] = useState(false);
  const [reportsOpen, setReportsOpen] = useState(false);
  const [alerts, setAlerts] = useState<SlaBreach[]>([]);
  useEffect(() => setSavedOpen(false), [openId]);
  const [showContext, setShowContext] = useState(false);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (openId !== null) setCursorId(openId);
    setShowContext(false);
  }, [openId]);

  const focusRow = (id: number) => {
    const el = document.getElementById(`inbox-row-${id}`);
    el?.focus();
    el?.scrollIntoView({ block: "nearest" });
  };
  const open = (id: number) => {
    setCursorId(id);
    navigate(`/inbox/${id}`);
  };
  const back = () => {
    const id = openId;
    navigate("/inbox");
    if (id !== null) setTimeout(() => focusRow(id), 0);
  };

  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (isField(e.target)) {
      // Typing is never a shortcut; Esc leaves the field.
      if (e.key === "Escape") (e.target as HTMLElement).blur();
      return;
    }
    if (savedOpen || policyOpen || teamOpen || reportsOpen) {
      // A dialog takes its own keys; Esc closes it even when the focus left it.
      if (e.key === "Escape") {
        setSavedOpen(false);
        setPolicyOpen(false);
        setTeamOpen(false);
        setReportsOpen(false);
      }
      return;
    }
    if (help) {
      if (e.key === "Escape" || e.key === "?") {
        e.preventDefault();
        setHelp(false);
      }
      return;
    }
    const at = threads.findIndex((x) => x.id === cursorId);
    switch (e.key) {
      case "?":
        e.preventDefault();
        setHelp(true);
        return;
      case "j":
      case "k": {
        if (threads.length === 0) return;
        e.preventDefault();
        const next =
          at < 0 ? (e.key === "j" ? 0 : threads.length - 1) : Math.min(threads.length - 1, Math.max(0, at + (e.key === "j" ? 1 : -1)));
        setCursorId(threads[next].id);
        focusRow(threads[next].id);
        return;
      }
      case "Enter": {
        const el = e.target as HTMLElement;
        if (el.closest("button, a, summary")) return; // the focused control answers Enter itself
        if (at >= 0) {
          e.preventDefault();
          open(threads[at].id);
        }
        return;
      }
      case "r":
        if (detail && replyRef.current) {
          e.preventDefault();
          setShowContext(false); // at phone width the box is shown again first
          setTimeout(() => replyRef.current?.focus(), 0);
        }
        return;
      case "s":
        if (detail && canReply) {
          e.preventDefault();
          setShowContext(false);
          setSavedOpen(true);
        }
        return;
      case "e":
        if (detail && canReply && detail.status !== "resolved") {
          e.preventDefault();
          setStatus("resolved");
        }
        return;
      case "a":
        if (detail && canReply && user && detail.assignee_id !== user.id) {
          e.preventDefault();
          assign(user.id);
        }
        return;
      case "Escape":
        if (openId !== null) {
          e.preventDefault();
          back();
        }
        return;
    }
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener("keydown", h);
    return () => document.removeEventListener("keydown", h);
  }, []);

  // The panes fill the window below the header and scroll on their own.
  const root = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState<number | undefined>(undefined);
  useLayoutEffect(() => {
    const fit = () => {
      const top = root.current?.getBoundingClientRect().top ?? 0;
      setHeight(Math.max(420, window.innerHeight - top - window.scrollY));
    };
    fit();
    window.addEventListener("resize", fit);
    // The header above can change height (a freeze banner comes or goes): fit again then.
    const watch = new ResizeObserver(fit);
    watch.observe(root.current?.closest(".app") ?? document.body);
    return () => {
      window.removeEventListener("resize", fit);
      watch.disconnect();
    };
  }, []);

  const platform = detail ? platforms.get(detail.platform) : undefined;
  const account = detail ? accounts.get(detail.account_id) : undefined;
  const cls = ["inbox", openId !== null ? "has-open" : "", showContext ? "show-context" : ""].filter(Boolean).join(" ");

  return (
    <div className={cls} ref={root} style={height ? { height } : undefined} data-testid="inbox">
      <ThreadList
        threads={threads}
        summaries={summaries}
        platforms={platforms}
        filters={filters}
        onFilters={setFilters}
        openId={openId}
        cursorId={cursorId}
        onOpen={open}
        hasMore={cursor !== null}
        loading={listLoading}
        loadingMore={loadingMore}
        error={listError}
        onLoadMore={() => void loadMore()}
        onRetry={() => void reloadList()}
        onHelp={() => setHelp(true)}
        onSlaPolicy={managed.length > 0 ? () => setPolicyOpen(true) : undefined}
        onTeam={answered.length > 0 ? () => setTeamOpen(true) : undefined}
        onReports={reported.length > 0 ? () => setReportsOpen(true) : undefined}
        now={now}
      />
      <ThreadPane
        detail={detail}
        loading={detailLoading}
        error={detailError}
        platform={platform}
        account={account}
        canReply={canReply}
        replyRef={replyRef}
        etag={etag}
        othersReplying={replying.map((m) => m.name)}
        onConflict={() => void reloadThread()}
        onReplied={(r) => {
          setDetail((d) => (d && d.id === r.thread_id ? withReply({ ...d, unanswered: 0, waiting_since: null }, r) : d));
          soonThread(); // the thread's new version, for the next reply's If-Match
        }}
        onNoted={(n) => setDetail((d) => (d ? withNote(d, n) : d))}
        onBack={back}
        onShowContext={() => setShowContext(true)}
        onModerated={() => void reloadThread()}
        canManage={detail ? can("brand.manage", detail.brand_id) : false}
        canAssign={canAssign}
        meId={user?.id ?? ""}
        savedOpen={savedOpen}
        onSavedOpen={setSavedOpen}
      />
      <ContextPane
        detail={detail}
        platform={platform}
        account={account}
        members={members}
        membersError={membersError}
        meId={user?.id ?? ""}
        canChange={canReply}
        canAssign={canAssign}
        busy={actionBusy}
        error={actionError}
        onStatus={setStatus}
        onAssign={assign}
        onBack={() => setShowContext(false)}
        now={now}
      />
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      {reportsOpen && <ReportsDialog brandIds={reported} initialBrand={brandId} onClose={() => setReportsOpen(false)} />}
      {teamOpen && <TeamDialog brandIds={answered} initialBrand={brandId} onClose={() => setTeamOpen(false)} />}
      {policyOpen && <SlaPolicyDialog brandIds={managed} initialBrand={brandId} onClose={() => setPolicyOpen(false)} />}
      <SlaAlerts alerts={alerts} onDismiss={(a) => setAlerts((list) => list.filter((x) => x !== a))} />
    </div>
  );
}
