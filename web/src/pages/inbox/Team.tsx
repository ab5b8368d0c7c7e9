// The team and routing of a brand's inbox: who is on duty (each member sets their own; someone
// with inbox.assign sets anyone's), and the rules that give new threads to a member or to the
// next one on duty. The server checks every change again (services/inbox/routing.cpp).
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api, describeError } from "../../api";
import { useSession } from "../../session";
import { InboxDialog, useDialogFocus } from "./Dialog";
import { useInboxT } from "./messages";
import type { InboxKind } from "./types";

interface RotaMember {
  user_id: string;
  name: string;
  role: string;
  in_rota: boolean;
  available: boolean;
  hours: unknown;
  on_duty_now: boolean;
  last_assigned_at: string | null;
}
interface Rule {
  name: string;
  keywords: string[];
  account_ids: string[];
  kinds: InboxKind[];
  assign_to: string | null;
}
interface RoutingDoc {
  auto_assign: boolean;
  rules: Rule[];
  version: number;
}
// A rule as edited: keywords as typed.
interface RuleDraft {
  name: string;
  keywords: string;
  kinds: InboxKind[];
  account_ids: string[];
  assign_to: string;
}

const KINDS: InboxKind[] = ["comment", "mention", "dm"];

export function TeamDialog(p: { brandIds: string[]; initialBrand: string; onClose: () => void }) {
  const t = useInboxT();
  const { brands, user, can } = useSession();
  const [brandId, setBrandId] = useState(p.initialBrand && p.brandIds.includes(p.initialBrand) ? p.initialBrand : p.brandIds[0] ?? "");
  const [rota, setRota] = useState<RotaMember[] | null>(null);
  const [doc, setDoc] = useState<RoutingDoc | null>(null);
  const [auto, setAuto] = useState(false);
  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  const [busy, setBusy] = useState(false);
  const first = useDialogFocus<HTMLSelectElement>();
  const mayAssign = can("inbox.assign", brandId);

  const showRouting = (d: RoutingDoc) => {
    setDoc(d);
    setAuto(d.auto_assign);
    setRules(d.rules.map((r) => ({ name: r.name, keywords: r.keywords.join(", "), kinds: r.kinds, account_ids: r.account_ids, assign_to: r.assign_to ?? "" })));
  };
  useEffect(() => {
    if (!brandId) return;
    let live = true;
    setError("");
    setDone("");
    Promise.all([
      api.get<{ members: RotaMember[] }>(`/api/v1/inbox/rota/${brandId}`),
      api.get<RoutingDoc>(`/api/v1/inbox/routing/${brandId}`),
    ])
      .then(([r, d]) => {
        if (!live) return;
        setRota(r.members);
        showRouting(d);
      })
      .catch((e) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [brandId]);

  // Shown at once, then as the server stored it (or back as it was, with the reason).
  const setDuty = async (m: RotaMember, available: boolean) => {
    setError("");
    setDone("");
    const put = (row: RotaMember) => setRota((list) => (list ?? []).map((x) => (x.user_id === m.user_id ? row : x)));
    put({ ...m, in_rota: true, available });
    try {
      put(await api.put<RotaMember>(`/api/v1/inbox/rota/${brandId}/${m.user_id}`, { available, hours: m.hours ?? null }));
    } catch (e) {
      put(m);
      setError(describeError(e));
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    setDone("");
    try {
      const body = {
        auto_assign: auto,
        rules: rules.map((r) => ({
          name: r.name.trim(),
          keywords: r.keywords
            .split(/[,，]/)
            .map((k) => k.trim())
            .filter((k) => k !== ""),
          kinds: r.kinds,
          account_ids: r.account_ids,
          assign_to: r.assign_to || null,
        })),
      };
      const saved = await api.put<RoutingDoc>(`/api/v1/inbox/routing/${brandId}`, body, doc && doc.version > 0 ? { ifMatch: `"v${doc.version}"` } : undefined);
      showRouting(saved);
      setDone(t("routingSaved"));
    } catch (err) {
      setError(err instanceof ApiError && err.problem.field ? `${err.problem.field}: ${describeError(err)}` : describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const edit = (i: number, change: Partial<RuleDraft>) => setRules((list) => list.map((r, k) => (k === i ? { ...r, ...change } : r)));

  return (
    <InboxDialog className="team-dialog" labelledBy="team-title" testId="team-dialog" onClose={p.onClose} onSubmit={(e) => void save(e)}>
      <h2 id="team-title">{t("teamTitle")}</h2>
      <label>
        {t("policyBrand")}
        <select ref={first} value={brandId} onChange={(e) => setBrandId(e.target.value)}>
          {p.brandIds.map((id) => (
            <option key={id} value={id}>
              {brands.find((b) => b.id === id)?.name ?? id}
            </option>
          ))}
        </select>
      </label>
      <h3>{t("rotaTitle")}</h3>
      {rota === null && !error && <p className="muted">{t("loading")}</p>}
      {rota !== null && rota.length === 0 && <p className="muted">{t("rotaNobody")}</p>}
      <ul className="rota-list">
        {(rota ?? []).map((m) => {
          const mine = m.user_id === user?.id;
          return (
            <li key={m.user_id} data-testid="rota-member" data-user-id={m.user_id}>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={m.in_rota && m.available}
                  disabled={!mine && !mayAssign}
                  onChange={(e) => void setDuty(m, e.target.checked)}
                  data-testid="rota-available"
                />
                {m.name}
                {mine && <span className="muted"> ({t("you")})</span>}
              </label>
              <span className={`badge ${m.on_duty_now ? "ok" : ""}`} data-testid="rota-state">
                {m.on_duty_now ? t("onDuty") : t("offDuty")}
              </span>
              {m.hours !== null && <span className="muted">{t("rotaHasHours")}</span>}
            </li>
          );
        })}
      </ul>
      <h3>{t("routingTitle")}</h3>
      <label className="inline">
        <input type="checkbox" checked={auto} disabled={!mayAssign} onChange={(e) => setAuto(e.target.checked)} data-testid="routing-auto" />
        {t("routingAuto")}
      </label>
      <p className="muted">{t("routingHelp")}</p>
      <ol className="rule-list">
        {rules.map((r, i) => (
          <li key={i} data-testid="routing-rule">
            <div className="rule-grid">
              <label>
                {t("ruleName")}
                <input value={r.name} disabled={!mayAssign} onChange={(e) => edit(i, { name: e.target.value })} data-testid="rule-name" />
              </label>
              <label>
                {t("ruleKeywords")}
                <input value={r.keywords} disabled={!mayAssign} onChange={(e) => edit(i, { keywords: e.target.value })} placeholder="refund, 退款" data-testid="rule-keywords" />
              </label>
              <label>
                {t("ruleAssignTo")}
                <select value={r.assign_to} disabled={!mayAssign} onChange={(e) => edit(i, { assign_to: e.target.value })} data-testid="rule-assign">
                  <option value="">{t("ruleNextOnDuty")}</option>
                  {(rota ?? []).map((m) => (
                    <option key={m.user_id} value={m.user_id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="rule-kinds" role="group" aria-label={t("ruleKinds")}>
              <span className="muted">{t("ruleKinds")}</span>
              {KINDS.map((k) => (
                <label key={k} className="inline">
                  <input
                    type="checkbox"
                    checked={r.kinds.includes(k)}
                    disabled={!mayAssign}
                    onChange={(e) => edit(i, { kinds: e.target.checked ? [...r.kinds, k] : r.kinds.filter((x) => x !== k) })}
                  />
                  {t(`kind_${k}`)}
                </label>
              ))}
              {mayAssign && (
                <button type="button" className="link-button" onClick={() => setRules((list) => list.filter((_, k) => k !== i))}>
                  {t("ruleRemove")}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
      {mayAssign && (
        <button
          type="button"
          onClick={() => setRules((list) => [...list, { name: "", keywords: "", kinds: [], account_ids: [], assign_to: "" }])}
          data-testid="rule-add"
        >
          {t("ruleAdd")}
        </button>
      )}
      {!mayAssign && <p className="muted">{t("routingReadOnly")}</p>}
      {error && (
        <p className="error" role="alert" data-testid="team-error">
          {error}
        </p>
      )}
      {done && (
        <p className="muted" role="status" data-testid="team-status">
          {done}
        </p>
      )}
      <div className="composer-row">
        <span />
        <button type="button" onClick={p.onClose}>
          {t("close")}
        </button>
        {mayAssign && (
          <button type="submit" className="primary" disabled={busy || !brandId}>
            {t("save")}
          </button>
        )}
      </div>
    </InboxDialog>
  );
}
