// The right pane: who wrote, on which account and post, how urgent, the status, the assignee and
// the first-response clock (a live countdown, red once breached).
import { useEffect, useState, type FormEvent } from "react";
import { useLocale } from "../../i18n/i18n";
import { useInboxT } from "./messages";
import type { AccountSummary, InboxThreadDetail, Member, PlatformCaps, ThreadStatus } from "./types";
import { formatSpan, latestInbound, resolutionAt, slaAt } from "./types";

interface Props {
  detail: InboxThreadDetail | null;
  platform: PlatformCaps | undefined;
  account: AccountSummary | undefined;
  members: Member[];
  membersError: string;
  meId: string;
  canChange: boolean; // inbox.reply: status, taking a thread
  canAssign: boolean; // inbox.assign: assigning others, unassigning
  busy: boolean;
  error: string;
  onStatus: (status: ThreadStatus, reason?: string) => void;
  onAssign: (userId: string | null) => void;
  onBack: () => void;
  now: number;
}

export function ContextPane(p: Props) {
  const t = useInboxT();
  const { locale } = useLocale();
  const d = p.detail;
  const [status, setStatus] = useState<ThreadStatus>(d?.status ?? "open");
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState("");
  const [member, setMember] = useState("");
  useEffect(() => {
    setStatus(d?.status ?? "open");
    setReason(d?.pending_reason ?? "");
    setReasonError("");
  }, [d?.id, d?.status, d?.pending_reason]);
  useEffect(() => setMember(""), [d?.id]);

  if (!d) return <aside className="inbox-pane pane-context" aria-label={t("context")} />;

  const last = latestInbound(d);
  const sla = slaAt(d, p.now);
  const res = resolutionAt(d, p.now);
  const fmt = (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
  const assignee = d.assignee_id
    ? d.assignee_id === p.meId
      ? t("you")
      : (() => {
          const m = p.members.find((x) => x.user_id === d.assignee_id);
          return m ? m.display_name || m.email : t("someoneElse");
        })()
    : t("unassigned");

  const changeStatus = (e: FormEvent) => {
    e.preventDefault();
    if (status === "pending" && reason.trim() === "") {
      setReasonError(t("reasonNeeded"));
      return;
    }
    setReasonError("");
    p.onStatus(status, status === "pending" ? reason.trim() : undefined);
  };

  return (
    <aside className="inbox-pane pane-context" aria-labelledby="inbox-context-title" data-testid="context-pane">
      <div className="pane-head">
        <button type="button" className="phone-only" onClick={p.onBack}>
          {t("backToConversation")}
        </button>
        <h2 id="inbox-context-title">{t("context")}</h2>
      </div>
      <div className="pane-scroll context-body">
        <section aria-labelledby="ctx-sla" className={`ctx-sla sla-${sla.state}`} data-testid="sla" data-state={sla.state}>
          <h3 id="ctx-sla">{t("slaTitle")}</h3>
          {sla.dueInMs !== null ? (
            <p className="sla-clock" aria-live="off">
              {sla.state === "breached"
                ? t("slaOverdue", { time: formatSpan(sla.dueInMs) })
                : t("slaDueIn", { time: formatSpan(sla.dueInMs) })}
            </p>
          ) : (
            <p className="sla-clock">{t(`sla_${sla.state}`)}</p>
          )}
          <p className="muted">
            {d.sla.first_response_due && t("slaDueAt", { time: fmt(d.sla.first_response_due) })}
            {d.sla.first_response_at && (
              <>
                <br />
                {t("slaAnsweredAt", { time: fmt(d.sla.first_response_at) })}
              </>
            )}
          </p>
        </section>
        {res && d.sla.resolution_due && (
          <section aria-labelledby="ctx-res" className={`ctx-sla sla-${res.state}`} data-testid="resolution" data-state={res.state}>
            <h3 id="ctx-res">{t("resolutionTitle")}</h3>
            <p className="sla-clock" aria-live="off">
              {res.dueInMs !== null
                ? res.state === "breached"
                  ? t("slaOverdue", { time: formatSpan(res.dueInMs) })
                  : t("slaDueIn", { time: formatSpan(res.dueInMs) })
                : t(`res_${res.state as "met" | "missed"}`)}
            </p>
            <p className="muted">
              {t("slaDueAt", { time: fmt(d.sla.resolution_due) })}
              {d.sla.resolved_at && (
                <>
                  <br />
                  {t("resolvedAt", { time: fmt(d.sla.resolved_at) })}
                </>
              )}
            </p>
          </section>
        )}


        <form className="ctx-block" onSubmit={changeStatus} aria-labelledby="ctx-status">
          <h3 id="ctx-status">{t("statusTitle")}</h3>
          <p>
            {t("statusNow")} <strong data-testid="thread-status">{t(`status_${d.status}`)}</strong>
            {d.status === "pending" && d.pending_reason && <span className="muted"> · {d.pending_reason}</span>}
          </p>
          {p.canChange && (
            <>
              <label>
                {t("newStatus")}
                <select value={status} onChange={(e) => setStatus(e.target.value as ThreadStatus)}>
                  <option value="open">{t("status_open")}</option>
                  <option value="pending">{t("status_pending")}</option>
                  <option value="resolved">{t("status_resolved")}</option>
                  <option value="closed">{t("status_closed")}</option>
                </select>
              </label>
              {status === "pending" && (
                <label>
                  {t("pendingReason")}
                  <input
                    value={reason}
                    maxLength={500}
                    onChange={(e) => setReason(e.target.value)}
                    aria-invalid={reasonError ? true : undefined}
                  />
                </label>
              )}
              {reasonError && (
                <p className="error" role="alert">
                  {reasonError}
                </p>
              )}
              <button type="submit" disabled={p.busy || (status === d.status && status !== "pending")}>
                {t("applyStatus")}
              </button>
            </>
          )}
        </form>

        <section className="ctx-block" aria-labelledby="ctx-assign">
          <h3 id="ctx-assign">{t("assignTitle")}</h3>
          <p>
            {t("assignedTo")} <strong data-testid="thread-assignee">{assignee}</strong>
          </p>
          <div className="row">
            {p.canChange && d.assignee_id !== p.meId && (
              <button type="button" onClick={() => p.onAssign(p.meId)} disabled={p.busy} aria-keyshortcuts="a">
                {t("assignMe")}
              </button>
            )}
            {p.canAssign && d.assignee_id && (
              <button type="button" onClick={() => p.onAssign(null)} disabled={p.busy}>
                {t("unassign")}
              </button>
            )}
          </div>
          {p.canAssign ? (
            <div className="row assign-other">
              <label>
                {t("assignMember")}
                <select value={member} onChange={(e) => setMember(e.target.value)}>
                  <option value="">{t("chooseMember")}</option>
                  {p.members
                    .filter((m) => m.user_id !== d.assignee_id)
                    .map((m) => (
                      <option key={m.user_id} value={m.user_id}>
                        {m.display_name || m.email}
                        {m.user_id === p.meId ? ` (${t("you")})` : ""}
                      </option>
                    ))}
                </select>
              </label>
              <button type="button" disabled={!member || p.busy} onClick={() => p.onAssign(member)}>
                {t("assign")}
              </button>
            </div>
          ) : (
            <p className="muted">{t("assignNeedsPermission")}</p>
          )}
          {p.membersError && <p className="error">{p.membersError}</p>}
        </section>
        <dl className="ctx-facts">
          <dt>{t("author")}</dt>
          <dd>
            {last ? (
              <>
                {last.author.name || last.author.handle || t("unknownAuthor")}
                {last.author.handle && <span className="muted"> @{last.author.handle}</span>}
                {last.author.verified && <span className="badge ok">{t("verified")}</span>}
              </>
            ) : (
              t("unknownAuthor")
            )}
          </dd>
          <dt>{t("account")}</dt>
          <dd>
            {p.account ? (
              <>
                {p.account.profile.display_name || p.account.profile.handle}
                <span className="muted"> @{p.account.profile.handle}</span>
                {p.account.sandbox && (
                  <span className="badge warn" title={t("sandboxAccount")}>
                    {t("sandbox")}
                  </span>
                )}
              </>
            ) : (
              <span className="muted">{d.account_id}</span>
            )}
          </dd>
          <dt>{t("platform")}</dt>
          <dd>{p.platform?.display_name ?? d.platform}</dd>
          <dt>{t("kind")}</dt>
          <dd>{t(`kind_${d.kind}`)}</dd>
          <dt>{t("linkedPost")}</dt>
          <dd>{d.platform_post_id ? <code>{d.platform_post_id}</code> : <span className="muted">{t("none")}</span>}</dd>
          <dt>{t("priority")}</dt>
          <dd>
            {d.priority} / 100 {d.crisis && <span className="badge danger">{t("crisis")}</span>}
          </dd>
          <dt>{t("sentiment")}</dt>
          <dd>{t(`sentiment_${d.sentiment}`)}</dd>
          <dt>{t("category")}</dt>
          <dd>{last ? t(`category_${last.category}`) : t("none")}</dd>
          <dt>{t("language")}</dt>
          <dd>{last ? (last.language === "und" ? t("languageUnknown") : last.language) : t("none")}</dd>
          <dt>{t("items")}</dt>
          <dd>{t("itemsCount", { n: d.item_count, u: d.unanswered })}</dd>
        </dl>
        {p.error && (
          <p className="error" role="alert" data-testid="context-error">
            {p.error}
          </p>
        )}
      </div>
    </aside>
  );
}
