// The left pane: filters, the threads (most urgent first, or newest), "load more".
import { useState } from "react";
import type { RowSummary } from "./data";
import { useInboxT } from "./messages";
import type { Filters, InboxThread, PlatformCaps } from "./types";
import { formatSpan, slaAt } from "./types";

interface Props {
  threads: InboxThread[];
  summaries: Map<number, RowSummary>;
  platforms: Map<string, PlatformCaps>;
  filters: Filters;
  onFilters: (f: Filters) => void;
  openId: number | null;
  cursorId: number | null;
  onOpen: (id: number) => void;
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: string;
  onLoadMore: () => void;
  onRetry: () => void;
  onHelp: () => void;
  onSlaPolicy?: () => void; // for those who set a brand's SLA policy
  onTeam?: () => void; // for those who answer a brand's inbox
  onReports?: () => void; // for those who read a brand's inbox reports
  now: number;
}

export function ThreadList(p: Props) {
  const t = useInboxT();
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => p.onFilters({ ...p.filters, [k]: v });
  // At phone width the filters fold behind a button; beside the other panes they are always shown.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const active = (["status", "kind", "platform", "assignee", "sla"] as const).filter((k) => p.filters[k] !== "").length;
  return (
    <section className="inbox-pane pane-list" aria-labelledby="inbox-list-title">
      <div className="pane-head">
        <h1 id="inbox-list-title">{t("title")}</h1>
        {p.onReports && (
          <button type="button" className="link-button" onClick={p.onReports} data-testid="reports-button">
            {t("reportsButton")}
          </button>
        )}
        {p.onTeam && (
          <button type="button" className="link-button" onClick={p.onTeam} data-testid="team-button">
            {t("teamButton")}
          </button>
        )}
        {p.onSlaPolicy && (
          <button type="button" className="link-button" onClick={p.onSlaPolicy} data-testid="sla-policy-button">
            {t("slaPolicyButton")}
          </button>
        )}
        <button type="button" className="link-button desktop-only" onClick={p.onHelp} aria-keyshortcuts="?">
          {t("shortcutsButton")}
        </button>
        <button
          type="button"
          className="phone-only"
          aria-expanded={filtersOpen}
          aria-controls="inbox-filters"
          onClick={() => setFiltersOpen((o) => !o)}
        >
          {t("filtersButton", { n: active })}
        </button>
      </div>
      <div id="inbox-filters" className={filtersOpen ? "inbox-filters open" : "inbox-filters"} role="group" aria-label={t("filters")}>
        <label>
          {t("fStatus")}
          <select value={p.filters.status} onChange={(e) => set("status", e.target.value as Filters["status"])}>
            <option value="">{t("any")}</option>
            <option value="open">{t("status_open")}</option>
            <option value="pending">{t("status_pending")}</option>
            <option value="resolved">{t("status_resolved")}</option>
            <option value="closed">{t("status_closed")}</option>
          </select>
        </label>
        <label>
          {t("fKind")}
          <select value={p.filters.kind} onChange={(e) => set("kind", e.target.value as Filters["kind"])}>
            <option value="">{t("any")}</option>
            <option value="comment">{t("kind_comment")}</option>
            <option value="mention">{t("kind_mention")}</option>
            <option value="dm">{t("kind_dm")}</option>
          </select>
        </label>
        <label>
          {t("fPlatform")}
          <select value={p.filters.platform} onChange={(e) => set("platform", e.target.value)}>
            <option value="">{t("any")}</option>
            {[...p.platforms.values()].map((pl) => (
              <option key={pl.platform} value={pl.platform}>
                {pl.display_name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("fAssignee")}
          <select value={p.filters.assignee} onChange={(e) => set("assignee", e.target.value as Filters["assignee"])}>
            <option value="">{t("any")}</option>
            <option value="me">{t("assigneeMe")}</option>
            <option value="none">{t("assigneeNone")}</option>
          </select>
        </label>
        <label>
          {t("fSla")}
          <select value={p.filters.sla} onChange={(e) => set("sla", e.target.value as Filters["sla"])}>
            <option value="">{t("any")}</option>
            <option value="at_risk">{t("sla_at_risk")}</option>
            <option value="breached">{t("sla_breached")}</option>
          </select>
        </label>
        <label>
          {t("fSort")}
          <select value={p.filters.sort} onChange={(e) => set("sort", e.target.value as Filters["sort"])}>
            <option value="priority">{t("sortPriority")}</option>
            <option value="recent">{t("sortRecent")}</option>
          </select>
        </label>
      </div>
      {p.error && (
        <div className="inbox-list-error" role="alert">
          <p className="error">{p.error}</p>
          <button type="button" onClick={p.onRetry}>
            {t("retry")}
          </button>
        </div>
      )}
      <div className="pane-scroll">
        {p.loading && p.threads.length === 0 ? (
          <p className="muted pane-note">{t("loading")}</p>
        ) : p.threads.length === 0 && !p.error ? (
          <p className="muted pane-note" data-testid="inbox-empty">
            {t("empty")}
          </p>
        ) : (
          <ol className="thread-list" aria-label={t("threads")} data-testid="thread-list">
            {p.threads.map((th) => (
              <li key={th.id}>
                <Row
                  thread={th}
                  summary={p.summaries.get(th.id)}
                  platform={p.platforms.get(th.platform)?.display_name ?? th.platform}
                  open={th.id === p.openId}
                  cursor={th.id === p.cursorId}
                  onOpen={() => p.onOpen(th.id)}
                  now={p.now}
                />
              </li>
            ))}
          </ol>
        )}
        {p.hasMore && (
          <div className="load-more">
            <button type="button" onClick={p.onLoadMore} disabled={p.loadingMore}>
              {p.loadingMore ? t("loading") : t("loadMore")}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

function Row(p: {
  thread: InboxThread;
  summary: RowSummary | undefined;
  platform: string;
  open: boolean;
  cursor: boolean;
  onOpen: () => void;
  now: number;
}) {
  const t = useInboxT();
  const th = p.thread;
  const sla = slaAt(th, p.now);
  const cls = ["thread-row", p.open ? "open" : "", p.cursor ? "cursor" : "", th.unanswered > 0 ? "unanswered" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <button
      type="button"
      id={`inbox-row-${th.id}`}
      className={cls}
      aria-current={p.open ? "true" : undefined}
      onClick={p.onOpen}
      data-testid="thread-row"
      data-thread-id={th.id}
      data-kind={th.kind}
    >
      <span className="row-top">
        <span className="row-author">{p.summary ? p.summary.author || t("unknownAuthor") : "…"}</span>
        <span className={`prio prio-${th.priority >= 70 ? "high" : th.priority >= 40 ? "mid" : "low"}`} title={t("priority")}>
          {t("priorityShort", { n: th.priority })}
        </span>
      </span>
      <span className="row-meta">
        <span>{p.platform}</span>
        <span aria-hidden="true">·</span>
        <span>{t(`kind_${th.kind}`)}</span>
        <span className={`badge ${th.sentiment === "negative" ? "danger" : th.sentiment === "positive" ? "ok" : ""}`}>
          {t(`sentiment_${th.sentiment}`)}
        </span>
        {th.crisis && <span className="badge danger">{t("crisis")}</span>}
        {th.status !== "open" && <span className="badge">{t(`status_${th.status}`)}</span>}
      </span>
      <span className="row-snippet">{p.summary?.snippet ?? ""}</span>
      <span className="row-wait">
        {th.unanswered > 0 && th.waiting_since ? (
          <span>
            {t("unansweredWaiting", { n: th.unanswered, time: formatSpan(p.now - Date.parse(th.waiting_since)) })}
          </span>
        ) : (
          <span className="muted">{t("answered")}</span>
        )}
        {(sla.state === "breached" || sla.state === "at_risk") && (
          <span className={`badge ${sla.state === "breached" ? "danger" : "warn"}`}>{t(`sla_${sla.state}`)}</span>
        )}
      </span>
    </button>
  );
}
