// The new-campaign form: brand, name, type, dates, budget (typed in major units, sent as exact minor units
// with its currency), goal, the first status and KPI targets. The server checks the plan as a whole and
// answers a 422 naming the field, shown here beside the form.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, describeError, newIdempotencyKey } from "../../api";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import { minorDigits, parseMajorAmount } from "../../lib/ads";
import {
  CAMPAIGN_TYPES,
  KPI_METRICS,
  campaignsApi,
  isRatioMetric,
  type Campaign,
  type CampaignInput,
  type CampaignType,
} from "../../lib/campaigns";
import { useSession } from "../../session";
import { messages, metricMessages } from "./messages";

export const CURRENCIES = ["CNY", "HKD", "TWD", "USD", "EUR", "GBP", "JPY", "KRW", "SGD", "MYR", "THB", "AUD"];

interface KpiRow {
  metric: string;
  target: string;
}

export function CreateCampaign({ onCreated, onCancel }: { onCreated: (c: Campaign) => void; onCancel: () => void }) {
  const t = useT(messages);
  const tm = useT(metricMessages);
  const tc = useT(common);
  const { brands, brandId, can } = useSession();
  const manageable = brands.filter((b) => can("campaign.manage", b.id));
  const [brand, setBrand] = useState(brandId && manageable.some((b) => b.id === brandId) ? brandId : "");
  const [name, setName] = useState("");
  const [type, setType] = useState<CampaignType>("promotion");
  const [startsOn, setStartsOn] = useState("");
  const [endsOn, setEndsOn] = useState("");
  const [budget, setBudget] = useState("");
  const [currency, setCurrency] = useState("CNY");
  const [goal, setGoal] = useState("");
  const [status, setStatus] = useState<"draft" | "planned" | "active">("draft");
  const [kpis, setKpis] = useState<KpiRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const idem = useRef(newIdempotencyKey());
  const heading = useRef<HTMLHeadingElement>(null);
  const errorBox = useRef<HTMLParagraphElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (error) errorBox.current?.focus();
  }, [error]);

  const digits = minorDigits(currency);
  const budgetMinor = budget.trim() ? parseMajorAmount(budget, currency) : null;
  const budgetBad = budget.trim() !== "" && budgetMinor === null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (budgetBad) return setError(t("budgetInvalid", { digits, currency }));
    if (status === "active" && (!startsOn || !endsOn)) return setError(t("activeNeedsDates"));
    const body: CampaignInput = {
      brand_id: brand,
      name: name.trim(),
      type,
      goal: goal.trim(),
      status,
      starts_on: startsOn || null,
      ends_on: endsOn || null,
      budget: budgetMinor === null ? null : { amount_minor: budgetMinor, currency },
      kpis: kpis
        .filter((k) => k.metric && k.target.trim())
        .map((k) => ({ metric: k.metric, target: Number(k.target) })),
    };
    setBusy(true);
    setError("");
    try {
      const c = await campaignsApi.create(body, idem.current);
      idem.current = newIdempotencyKey();
      onCreated(c);
    } catch (err) {
      const field = err instanceof ApiError && err.problem.field ? `${err.problem.field}: ` : "";
      setError(field + describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const setKpi = (i: number, patch: Partial<KpiRow>) =>
    setKpis((list) => list.map((k, j) => (j === i ? { ...k, ...patch } : k)));
  const unusedMetric = () => KPI_METRICS.find((m) => !kpis.some((k) => k.metric === m)) ?? "";

  return (
    <section className="card camp-create" aria-labelledby="camp-create-h" data-testid="campaign-create">
      <h2 id="camp-create-h" ref={heading} tabIndex={-1}>
        {t("createTitle")}
      </h2>
      <form className="stack" onSubmit={submit}>
        <div className="camp-fields">
          <label>
            {t("brand")}
            <select value={brand} onChange={(e) => setBrand(e.target.value)} required>
              <option value="">{t("chooseBrand")}</option>
              {manageable.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <label className="camp-wide">
            {t("name")}
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </label>
          <label>
            {t("type")}
            <select value={type} onChange={(e) => setType(e.target.value as CampaignType)}>
              {CAMPAIGN_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(`type_${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("startsOn")}
            <input type="date" value={startsOn} max={endsOn || undefined} onChange={(e) => setStartsOn(e.target.value)} />
          </label>
          <label>
            {t("endsOn")}
            <input type="date" value={endsOn} min={startsOn || undefined} onChange={(e) => setEndsOn(e.target.value)} />
          </label>
          <label>
            {t("initialStatus")}
            <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              {(["draft", "planned", "active"] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`status_${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="camp-budget">
          <legend>{t("budget")}</legend>
          <div className="camp-fields">
            <label>
              {t("amount")}
              <input
                inputMode="decimal"
                value={budget}
                onChange={(e) => setBudget(e.target.value)}
                aria-invalid={budgetBad || undefined}
                aria-describedby="camp-budget-hint"
                placeholder={digits > 0 ? `1200.${"0".repeat(digits)}` : "1200"}
              />
            </label>
            <label>
              {t("currency")}
              <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
                {CURRENCIES.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          </div>
          <p id="camp-budget-hint" className={budgetBad ? "error camp-hint" : "muted camp-hint"}>
            {budgetBad ? t("budgetInvalid", { digits, currency }) : t("budgetHint", { digits, currency })}
          </p>
        </fieldset>
        <label>
          {t("goal")}
          <textarea value={goal} onChange={(e) => setGoal(e.target.value)} maxLength={2000} className="camp-goal" />
        </label>
        <fieldset className="camp-kpis">
          <legend>{t("kpiTargets")}</legend>
          {kpis.map((k, i) => (
            <div key={i} className="camp-fields camp-kpi-row">
              <label>
                {t("metric")}
                <select value={k.metric} onChange={(e) => setKpi(i, { metric: e.target.value })}>
                  {KPI_METRICS.filter((m) => m === k.metric || !kpis.some((x) => x.metric === m)).map((m) => (
                    <option key={m} value={m}>
                      {tm(m)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("target")}
                <input
                  type="number"
                  min="0"
                  step="any"
                  max={isRatioMetric(k.metric) ? 1 : undefined}
                  value={k.target}
                  onChange={(e) => setKpi(i, { target: e.target.value })}
                  required
                />
                {isRatioMetric(k.metric) && <span className="muted camp-hint">{t("ratioHint")}</span>}
              </label>
              <button type="button" className="link-button" onClick={() => setKpis((l) => l.filter((_, j) => j !== i))}>
                {t("removeKpi")}
              </button>
            </div>
          ))}
          {kpis.length < KPI_METRICS.length && (
            <button type="button" onClick={() => setKpis((l) => [...l, { metric: unusedMetric(), target: "" }])}>
              {t("addKpi")}
            </button>
          )}
        </fieldset>
        {error && (
          <p className="error" role="alert" ref={errorBox} tabIndex={-1}>
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("creating") : t("create")}
          </button>
          <button type="button" onClick={onCancel}>
            {tc("cancel")}
          </button>
        </div>
      </form>
    </section>
  );
}
