// Freezes with who set them, when, why and until when; the two-person lift: one person asks
// (POST .../lift-request with a reason), another with crisis.freeze approves (POST .../lift).
// The server refuses the requester and the setter; the card says why before and shows the
// server's own words after.
import { useState } from "react";
import { api, describeError } from "../../api";
import { useScopeLabel } from "../../components/FreezeBanner";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import { isActive, type Freeze } from "../../lib/freezes";
import { useSession } from "../../session";
import { useDates, useFreezePermission } from "./data";
import { InFlightTable } from "./LockdownSwitch";
import { messages } from "./messages";

type Label = ReturnType<typeof useScopeLabel>;

function StateBadge({ f }: { f: Freeze }) {
  const t = useT(messages);
  if (f.lifted) return <span className="badge ok">{t("stateLifted")}</span>;
  if (!isActive(f)) return <span className="badge">{t("stateExpired")}</span>;
  return (
    <>
      <span className="badge danger">{t("stateActive")}</span>
      {!f.acknowledged_at && <span className="badge warn">{t("stateUnacked")}</span>}
      {f.lift_request && <span className="badge warn">{t("stateLiftRequested")}</span>}
    </>
  );
}

export function FreezeCard({ f, label, onChanged }: { f: Freeze; label: Label; onChanged: () => void }) {
  const t = useT(messages);
  const tc = useT(common);
  const d = useDates();
  const { user } = useSession();
  const { canOver } = useFreezePermission();
  const [asking, setAsking] = useState(false);
  const [liftReason, setLiftReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const active = isActive(f);
  const mayAct = active && canOver(f.scope, f.brand_id);
  const iRequested = !!user && f.lift_request?.by === user.id;
  const iSet = !!user && f.set_by === user.id;

  const requestLift = async () => {
    setBusy(true);
    setError("");
    try {
      await api.post(`/api/v1/crisis/freezes/${f.id}/lift-request`, { reason: liftReason });
      setAsking(false);
      setLiftReason("");
      onChanged();
    } catch (e) {
      setError(t("refused", { error: describeError(e) }));
    } finally {
      setBusy(false);
    }
  };

  const lift = async () => {
    setBusy(true);
    setError("");
    try {
      await api.post(`/api/v1/crisis/freezes/${f.id}/lift`);
      onChanged();
    } catch (e) {
      setError(t("refused", { error: describeError(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className={active ? "card crisis-freeze active" : "card crisis-freeze"} data-testid="freeze-card" data-freeze-id={f.id}>
      <header className="row">
        <h3 className="crisis-freeze-scope">{label(f)}</h3>
        <StateBadge f={f} />
      </header>
      <p className="crisis-freeze-reason">
        <strong>{t("reasonLabel")}:</strong> {f.reason}
      </p>
      <ul className="crisis-facts">
        <li>{t("setBy", { who: f.set_by_label, time: d.dateTime(f.set_at) })}</li>
        <li>{f.expires_at ? t("expiresAtLabel", { time: d.dateTime(f.expires_at) }) : t("noExpiry")}</li>
        {f.acknowledged_at && (
          <li>
            {t("ackedLine", {
              time: d.dateTime(f.acknowledged_at),
              ms: f.ack_ms === null ? "?" : f.ack_ms.toFixed(1),
              held: f.held_at_ack ?? 0,
              inflight: f.in_flight_at_ack.length,
            })}
          </li>
        )}
        {f.lift_request && (
          <li data-testid="lift-request">
            {t("liftRequestedLine", {
              who: f.lift_request.by_label,
              time: d.dateTime(f.lift_request.at),
              reason: f.lift_request.reason,
            })}
          </li>
        )}
        {f.lifted && <li>{t("liftedLine", { who: f.lifted.by_label, time: d.dateTime(f.lifted.at) })}</li>}
      </ul>
      {f.in_flight_at_ack.length > 0 && (
        <details>
          <summary>{t("inFlightDetails", { n: f.in_flight_at_ack.length })}</summary>
          <div className="crisis-scroll">
            <InFlightTable sends={f.in_flight_at_ack} />
          </div>
        </details>
      )}

      {mayAct && (
        <div className="stack crisis-lift">
          <p className="muted crisis-hint">{t("twoPerson")}</p>
          {!f.lift_request && !asking && (
            <div className="row">
              <button type="button" onClick={() => setAsking(true)}>
                {t("requestLift")}
              </button>
            </div>
          )}
          {!f.lift_request && asking && (
            <form
              className="stack"
              onSubmit={(e) => {
                e.preventDefault();
                void requestLift();
              }}
            >
              <label>
                {t("liftReason")}
                <textarea value={liftReason} onChange={(e) => setLiftReason(e.target.value)} required maxLength={2000} />
              </label>
              <div className="row">
                <button type="submit" className="primary" disabled={busy || !liftReason.trim()}>
                  {t("sendLiftRequest")}
                </button>
                <button type="button" onClick={() => setAsking(false)} disabled={busy}>
                  {tc("cancel")}
                </button>
              </div>
            </form>
          )}
          {f.lift_request && (
            <>
              {(iRequested || iSet) && (
                <p className="crisis-why" data-testid="lift-why">
                  {iRequested ? t("youRequested") : t("youSet")}
                </p>
              )}
              {!iRequested && !iSet && <p className="muted">{t("waitingApproval")}</p>}
              <div className="row">
                <button type="button" className="primary" onClick={() => void lift()} disabled={busy}>
                  {busy ? t("lifting") : t("approveLift")}
                </button>
              </div>
              <p className="muted crisis-hint">{t("liftHeldNote")}</p>
            </>
          )}
        </div>
      )}
      {error && (
        <p className="error" role="alert" data-testid="freeze-error">
          {error}
        </p>
      )}
    </article>
  );
}

export function FreezeList({
  freezes,
  label,
  onChanged,
  empty,
}: {
  freezes: Freeze[];
  label: Label;
  onChanged: () => void;
  empty: string;
}) {
  if (freezes.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="stack">
      {freezes.map((f) => (
        <FreezeCard key={f.id} f={f} label={label} onChanged={onChanged} />
      ))}
    </div>
  );
}
