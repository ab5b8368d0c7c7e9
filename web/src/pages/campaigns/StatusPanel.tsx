// A campaign's status and what can happen to it: the changes POST .../status allows from here (If-Match the
// version read; completing and cancelling ask for a confirmation, since they are final), pausing (a reason,
// then a confirmation: the freeze with campaign scope is set at once) and the two-person resume (the first
// person asks with a reason, a second one lifts).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { describeError } from "../../api";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import { campaignsApi, nextStatuses, type Campaign, type CampaignStatus } from "../../lib/campaigns";
import { messages } from "./messages";

export function StatusPanel({
  campaign: c,
  manage,
  onChanged,
}: {
  campaign: Campaign;
  manage: boolean;
  onChanged: (c: Campaign) => void;
}) {
  const t = useT(messages);
  const tc = useT(common);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [confirmStatus, setConfirmStatus] = useState<CampaignStatus | null>(null);
  const [pausing, setPausing] = useState<"closed" | "reason" | "confirm">("closed");
  const [reason, setReason] = useState("");
  const [resumeReason, setResumeReason] = useState("");
  const confirmHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (pausing === "confirm") confirmHeading.current?.focus();
  }, [pausing]);

  const run = async (fn: () => Promise<Campaign>, done: (c: Campaign) => string) => {
    setBusy(true);
    setError("");
    setNotice("");
    try {
      const out = await fn();
      onChanged(out);
      setNotice(done(out));
      return true;
    } catch (e) {
      setError(describeError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const changeStatus = async (s: CampaignStatus) => {
    if ((s === "cancelled" || s === "completed") && confirmStatus !== s) return setConfirmStatus(s);
    setConfirmStatus(null);
    await run(() => campaignsApi.setStatus(c, s), () => "");
  };

  const pause = async () => {
    const ok = await run(
      () => campaignsApi.pause(c.id, reason.trim()),
      (out) =>
        out.freeze?.held_at_ack !== null && out.freeze?.held_at_ack !== undefined
          ? t("paused", { held: out.freeze.held_at_ack })
          : t("pausedNoCount"),
    );
    if (ok) {
      setPausing("closed");
      setReason("");
    }
  };

  const resume = async (e?: FormEvent) => {
    e?.preventDefault();
    const ok = await run(
      () => campaignsApi.resume(c.id, resumeReason.trim()),
      (out) => (out.status === "active" ? t("resumed") : t("resumeAsked")),
    );
    if (ok) setResumeReason("");
  };

  const liftRequested = c.status === "paused" && c.freeze?.lift_requested;

  return (
    <section className="card camp-status" aria-labelledby="camp-status-h" data-testid="campaign-status-panel">
      <h2 id="camp-status-h">{t("statusTitle")}</h2>
      {!manage ? (
        <p className="muted">{t("noManage")}</p>
      ) : (
        <div className="stack">
          {nextStatuses(c.status).length > 0 && (
            <div className="row">
              {nextStatuses(c.status).map((s) => (
                <button key={s} type="button" disabled={busy} onClick={() => void changeStatus(s)}>
                  {t("changeTo", { status: t(`status_${s}`) })}
                </button>
              ))}
            </div>
          )}
          {confirmStatus && (
            <div className="camp-confirm" role="group" aria-label={t("changeTo", { status: t(`status_${confirmStatus}`) })}>
              <p>{t("changeTo", { status: t(`status_${confirmStatus}`) })}?</p>
              <div className="row">
                <button type="button" className="danger" disabled={busy} onClick={() => void changeStatus(confirmStatus)}>
                  {tc("confirm")}
                </button>
                <button type="button" onClick={() => setConfirmStatus(null)}>
                  {tc("cancel")}
                </button>
              </div>
            </div>
          )}

          {c.status === "active" && pausing === "closed" && (
            <div>
              <button type="button" className="danger" onClick={() => setPausing("reason")} data-testid="campaign-pause">
                {t("pause")}
              </button>
            </div>
          )}
          {c.status === "active" && pausing === "reason" && (
            <form
              className="stack camp-pause"
              onSubmit={(e) => {
                e.preventDefault();
                if (reason.trim()) setPausing("confirm");
              }}
            >
              <p className="muted">{t("pauseIntro")}</p>
              <label>
                {t("pauseReason")}
                <textarea value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={2000} autoFocus />
              </label>
              <div className="row">
                <button type="submit" className="primary" disabled={!reason.trim()}>
                  {t("pauseContinue")}
                </button>
                <button type="button" onClick={() => setPausing("closed")}>
                  {tc("cancel")}
                </button>
              </div>
            </form>
          )}
          {c.status === "active" && pausing === "confirm" && (
            <div className="camp-confirm" role="alertdialog" aria-labelledby="camp-pause-confirm-h" aria-describedby="camp-pause-confirm-p">
              <h3 id="camp-pause-confirm-h" ref={confirmHeading} tabIndex={-1}>
                {t("pauseConfirmTitle", { name: c.name })}
              </h3>
              <p id="camp-pause-confirm-p">{t("pauseConfirmText")}</p>
              <p className="camp-pre">“{reason.trim()}”</p>
              <div className="row">
                <button type="button" className="danger" disabled={busy} onClick={() => void pause()}>
                  {busy ? t("pausing") : t("pauseConfirm")}
                </button>
                <button type="button" onClick={() => setPausing("reason")}>
                  {tc("cancel")}
                </button>
              </div>
            </div>
          )}

          {c.status === "paused" && (
            <div className="stack">
              <h3 className="camp-h3">{t("resumeTitle")}</h3>
              <p className="muted">{t("resumeIntro")}</p>
              {liftRequested ? (
                <>
                  <p className="camp-why" role="status">
                    {t("liftRequested")}
                  </p>
                  <div>
                    <button type="button" className="primary" disabled={busy} onClick={() => void resume()}>
                      {t("liftNow")}
                    </button>
                  </div>
                </>
              ) : (
                <form className="stack" onSubmit={resume}>
                  <label>
                    {t("resumeReason")}
                    <textarea value={resumeReason} onChange={(e) => setResumeReason(e.target.value)} required maxLength={2000} />
                  </label>
                  <div>
                    <button type="submit" className="primary" disabled={busy || !resumeReason.trim()} data-testid="campaign-resume">
                      {t("askResume")}
                    </button>
                  </div>
                </form>
              )}
            </div>
          )}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice ok" role="status" data-testid="campaign-notice">
          {notice}
        </p>
      )}
    </section>
  );
}
