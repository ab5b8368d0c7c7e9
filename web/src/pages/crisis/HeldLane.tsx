// The held review lane: the posts with a HELD target (GET /api/v1/posts?status=HELD), chosen
// with check boxes, and one action on all of them (POST /api/v1/held/actions): back to review,
// release (approved, no slot), reschedule (a wall time as meant in a zone) or discard. Each post
// fares on its own; the answer's done/refused per post is shown as it came.
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, describeError, qs } from "../../api";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import { useSession } from "../../session";
import { accountLabel, useDates } from "./data";
import { messages } from "./messages";
import { allZones, browserZone, isoUtc, wallToUtcMs } from "./time";
import type { AccountInfo, HeldActionName, HeldActionResult, HeldPost } from "./types";

const PERMISSION: Record<HeldActionName, string> = {
  review: "post.write",
  release: "post.publish",
  reschedule: "post.publish",
  discard: "post.publish",
};

export function HeldLane({
  accountsById,
  reloadSignal,
  frozen,
}: {
  accountsById: Map<string, AccountInfo>;
  reloadSignal: number;
  frozen: boolean;
}) {
  const t = useT(messages);
  const tc = useT(common);
  const d = useDates();
  const { brands, brandId, can } = useSession();
  const [posts, setPosts] = useState<HeldPost[] | null>(null);
  const [error, setError] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState("");
  const [result, setResult] = useState<{ r: HeldActionResult; titles: Map<string, string> } | null>(null);
  const [askDiscard, setAskDiscard] = useState(false);
  const [slot, setSlot] = useState("");
  const [zone, setZone] = useState(() => brands.find((b) => b.id === brandId)?.timezone ?? browserZone());
  const zones = useMemo(() => allZones([browserZone(), ...brands.map((b) => b.timezone)]), [brands]);

  const load = useCallback(() => {
    api
      .get<{ items: HeldPost[] }>(`/api/v1/posts${qs({ status: "HELD", brand_id: brandId, limit: 500 })}`)
      .then((r) => {
        setPosts(r.items);
        setError("");
        setSelected((s) => new Set([...s].filter((id) => r.items.some((p) => p.id === id))));
      })
      .catch((e) => setError(describeError(e)));
  }, [brandId]);

  useEffect(load, [load, reloadSignal]);
  // What comes due while frozen turns HELD without an event: look again now and then.
  useEffect(() => {
    if (!frozen) return;
    const timer = setInterval(load, 10000);
    return () => clearInterval(timer);
  }, [frozen, load]);

  const brandName = (id: string) => brands.find((b) => b.id === id)?.name ?? id;
  const chosen = (posts ?? []).filter((p) => selected.has(p.id));
  const may = (action: HeldActionName) => chosen.some((p) => can(PERMISSION[action], p.brand_id));
  const mayAnything = can("post.publish", "") || can("post.write", "");
  const allSelected = !!posts && posts.length > 0 && posts.every((p) => selected.has(p.id));

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const act = async (action: HeldActionName) => {
    if (chosen.length === 0) return;
    const body: Record<string, unknown> = { action, post_ids: chosen.map((p) => p.id) };
    if (action === "reschedule") {
      const ms = slot ? wallToUtcMs(slot, zone) : null;
      if (ms === null || ms <= Date.now()) return setActionError(t("slotNeeded"));
      body.scheduled_at = isoUtc(ms);
      body.zone = zone;
    }
    setBusy(true);
    setActionError("");
    setAskDiscard(false);
    const titles = new Map(chosen.map((p) => [p.id, p.title || t("untitled")]));
    try {
      const r = await api.post<HeldActionResult>("/api/v1/held/actions", body);
      setResult({ r, titles });
      const done = new Set(r.results.filter((x) => x.ok).map((x) => x.post_id));
      setSelected((s) => new Set([...s].filter((id) => !done.has(id))));
      load();
    } catch (e) {
      setActionError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const anySandbox = (posts ?? []).some((p) => p.targets.some((x) => accountsById.get(x.account_id)?.sandbox));

  return (
    <div className="stack" data-testid="held-lane">
      <div className="row">
        <p className="muted crisis-grow">{t("heldIntro")}</p>
        <button type="button" onClick={load}>
          {t("refresh")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {t("loadError", { error })}
        </p>
      )}
      {posts === null && !error && <p className="muted">{tc("loading")}</p>}
      {posts !== null && posts.length === 0 && <p className="muted">{t("noHeld")}</p>}
      {posts !== null && posts.length > 0 && (
        <>
          <div className="crisis-scroll">
            <table className="crisis-held">
              <thead>
                <tr>
                  {mayAnything && (
                    <th scope="col" className="crisis-select">
                      <input
                        type="checkbox"
                        aria-label={t("selectAll")}
                        checked={allSelected}
                        onChange={(e) => setSelected(e.target.checked ? new Set(posts.map((p) => p.id)) : new Set())}
                      />
                    </th>
                  )}
                  <th scope="col">{t("colTitle")}</th>
                  <th scope="col">{t("colBrand")}</th>
                  <th scope="col">{t("colSlot")}</th>
                  <th scope="col">{t("colTargets")}</th>
                </tr>
              </thead>
              <tbody>
                {posts.map((p) => (
                  <tr key={p.id} data-testid="held-row" data-post-id={p.id} className={selected.has(p.id) ? "selected" : undefined}>
                    {mayAnything && (
                      <td className="crisis-select">
                        <input
                          type="checkbox"
                          aria-label={t("selectPost", { title: p.title || t("untitled") })}
                          checked={selected.has(p.id)}
                          onChange={(e) => toggle(p.id, e.target.checked)}
                        />
                      </td>
                    )}
                    <td>{p.title || t("untitled")}</td>
                    <td>{brandName(p.brand_id)}</td>
                    <td>
                      {d.dateTime(p.scheduled_at)}
                      {p.zone && <span className="muted"> ({p.zone})</span>}
                    </td>
                    <td>
                      <ul className="crisis-targets">
                        {p.targets.map((x) => (
                          <li key={x.id}>
                            {accountLabel(accountsById.get(x.account_id), x.platform)}{" "}
                            <span className={x.state === "HELD" ? "badge danger" : "badge"}>{x.state}</span>
                            {accountsById.get(x.account_id)?.sandbox && <span className="badge warn">{t("sandbox")}</span>}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {anySandbox && <p className="sandbox-note">{t("sandboxAccountsNote")}</p>}

          {!mayAnything && <p className="muted crisis-hint">{t("permHint")}</p>}
          {mayAnything && (
            <fieldset className="crisis-actions" disabled={busy}>
              <legend>{t("selected", { n: chosen.length })}</legend>
              <div className="row">
                <button type="button" onClick={() => void act("review")} disabled={!may("review")}>
                  {t("actReview")}
                </button>
                <button type="button" onClick={() => void act("release")} disabled={!may("release")}>
                  {t("actRelease")}
                </button>
                <button type="button" className="danger" onClick={() => setAskDiscard(true)} disabled={!may("discard")}>
                  {t("actDiscard")}
                </button>
              </div>
              {askDiscard && (
                <div className="row crisis-discard" role="group" aria-label={t("actDiscard")}>
                  <span>{t("discardConfirm", { n: chosen.length })}</span>
                  <button type="button" className="danger" onClick={() => void act("discard")}>
                    {t("discardYes")}
                  </button>
                  <button type="button" onClick={() => setAskDiscard(false)}>
                    {tc("cancel")}
                  </button>
                </div>
              )}
              <div className="row crisis-reschedule">
                <label>
                  {t("newSlot")}
                  <input type="datetime-local" step={1} value={slot} onChange={(e) => setSlot(e.target.value)} />
                </label>
                <label>
                  {t("zone")}
                  <select value={zone} onChange={(e) => setZone(e.target.value)}>
                    {zones.map((z) => (
                      <option key={z} value={z}>
                        {z}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" className="primary" onClick={() => void act("reschedule")} disabled={!may("reschedule")}>
                  {busy ? t("working") : t("actReschedule")}
                </button>
              </div>
            </fieldset>
          )}
        </>
      )}
      {actionError && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}
      {result && (
        <div className="card crisis-results" role="status" data-testid="held-results">
          <p>
            <strong>
              {t("resultSummary", {
                action: t(`actionName_${result.r.action as HeldActionName}`),
                done: result.r.done,
                refused: result.r.refused,
              })}
            </strong>
          </p>
          <ul>
            {result.r.results.map((x) => (
              <li key={x.post_id} className={x.ok ? "ok" : "refused"}>
                {result.titles.get(x.post_id) ?? x.post_id}:{" "}
                {x.ok
                  ? t("resultOk", { states: Array.from(new Set((x.targets ?? []).map((y) => y.state))).join(", ") })
                  : t("resultRefused", { status: x.status ?? "?", detail: x.detail ?? "" })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
