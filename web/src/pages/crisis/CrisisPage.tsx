// The crisis console (F7 point 5): what is frozen now and the two-person lift, the lockdown
// switch with its blast-radius preview and confirmation, the held review lane, past freezes and
// the evidence vault. Live: every crisis.* event on the stream reloads the freezes and the lane.
// crisis.read to see it; crisis.freeze to set and lift (the server checks each request again).
import { useCallback, useEffect, useState } from "react";
import { api, describeError } from "../../api";
import { useCampaignNames, useScopeLabel } from "../../components/FreezeBanner";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import { isActive, type Freeze } from "../../lib/freezes";
import { useSession } from "../../session";
import { useStream } from "../../stream";
import { EvidencePanel } from "./EvidencePanel";
import { FreezeList } from "./FreezeList";
import { HeldLane } from "./HeldLane";
import { LockdownSwitch } from "./LockdownSwitch";
import { accountLabel, useAccounts, useFreezePermission, usePlatforms } from "./data";
import { messages } from "./messages";
import "./crisis.css";

const HISTORY_SHOWN = 10;

export default function CrisisPage() {
  const t = useT(messages);
  const tc = useT(common);
  const { can } = useSession();
  const { canAny } = useFreezePermission();
  const platforms = usePlatforms();
  const { accounts, byId } = useAccounts();
  const [freezes, setFreezes] = useState<Freeze[] | null>(null);
  const [error, setError] = useState("");
  const [signal, setSignal] = useState(0);
  const [allHistory, setAllHistory] = useState(false);
  const [, setTick] = useState(0);
  const allowed = can("crisis.read", "");

  const account = useCallback((id: string) => (byId.has(id) ? accountLabel(byId.get(id), id) : undefined), [byId]);
  const platform = useCallback(
    (name: string) => platforms.find((p) => p.platform === name)?.display_name,
    [platforms],
  );
  const campaign = useCampaignNames(freezes ?? []);
  const label = useScopeLabel({ account, campaign, platform });

  const load = useCallback(() => {
    if (!allowed) return;
    api
      .get<{ items: Freeze[] }>("/api/v1/crisis/freezes?limit=100")
      .then((r) => {
        setFreezes(r.items);
        setError("");
      })
      .catch((e) => setError(describeError(e)));
  }, [allowed]);
  useEffect(load, [load]);

  const changed = useCallback(() => {
    load();
    setSignal((n) => n + 1);
  }, [load]);

  useStream((e) => {
    if (e.type === "stream.connected" || e.type.startsWith("crisis.")) changed();
  });

  // An expiry ends a freeze without an event: re-render (and reload) when the next one is due.
  useEffect(() => {
    const next = (freezes ?? [])
      .filter((f) => isActive(f) && f.expires_at)
      .map((f) => Date.parse(f.expires_at!) - Date.now())
      .reduce((a, b) => Math.min(a, b), Infinity);
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => {
      setTick((n) => n + 1);
      load();
    }, Math.max(0, next) + 500);
    return () => clearTimeout(timer);
  }, [freezes, load]);

  if (!allowed) {
    return (
      <div className="page">
        <h1>{t("title")}</h1>
        <p className="muted">{t("noAccess")}</p>
      </div>
    );
  }

  const active = (freezes ?? []).filter((f) => isActive(f));
  const past = (freezes ?? []).filter((f) => !isActive(f));

  return (
    <div className="page crisis-page">
      <div className="page-head">
        <h1>{t("title")}</h1>
        {freezes &&
          (active.length > 0 ? (
            <span className="badge danger" data-testid="crisis-status">
              {t("statusFrozen", { n: active.length })}
            </span>
          ) : (
            <span className="badge ok" data-testid="crisis-status">
              {t("statusNormal")}
            </span>
          ))}
      </div>
      {error && (
        <p className="error" role="alert">
          {t("loadError", { error })}
        </p>
      )}

      <div className="crisis-top">
        <section className="card crisis-section" aria-labelledby="crisis-active-h" data-testid="active-freezes">
          <h2 id="crisis-active-h">{t("activeTitle")}</h2>
          {freezes === null ? (
            <p className="muted">{tc("loading")}</p>
          ) : (
            <FreezeList freezes={active} label={label} onChanged={changed} empty={t("noActive")} />
          )}
        </section>

        <section className="card crisis-section crisis-switch" aria-labelledby="crisis-switch-h" data-testid="lockdown-switch">
          <h2 id="crisis-switch-h">{t("switchTitle")}</h2>
          <p className="muted">{t("switchIntro")}</p>
          {canAny ? (
            <LockdownSwitch
              platforms={platforms}
              accounts={accounts}
              accountsById={byId}
              onChanged={changed}
              isStillActive={(id) => {
                const f = (freezes ?? []).find((x) => x.id === id);
                return !f || isActive(f); // not listed yet: just set
              }}
            />
          ) : (
            <p className="muted">{t("noFreezePermission")}</p>
          )}
        </section>
      </div>

      <section className="card crisis-section" aria-labelledby="crisis-held-h">
        <h2 id="crisis-held-h">{t("heldTitle")}</h2>
        <HeldLane accountsById={byId} reloadSignal={signal} frozen={active.length > 0} />
      </section>

      <div className="crisis-bottom">
        <section className="card crisis-section" aria-labelledby="crisis-history-h" data-testid="past-freezes">
          <h2 id="crisis-history-h">{t("historyTitle")}</h2>
          {freezes !== null && (
            <FreezeList
              freezes={allHistory ? past : past.slice(0, HISTORY_SHOWN)}
              label={label}
              onChanged={changed}
              empty={t("noHistory")}
            />
          )}
          {past.length > HISTORY_SHOWN && !allHistory && (
            <button type="button" className="link-button" onClick={() => setAllHistory(true)}>
              {tc("frozenMore", { n: past.length - HISTORY_SHOWN })}
            </button>
          )}
        </section>
        <section className="card crisis-section" aria-labelledby="crisis-evidence-h">
          <h2 id="crisis-evidence-h">{t("evidenceTitle")}</h2>
          <EvidencePanel />
        </section>
      </div>
    </div>
  );
}
