// The A/B form of the ads dashboard: two ads of one ad account (from its by-ad report over the dashboard's
// range), a metric, and the server's answer (POST /api/v1/ads/accounts/{id}/ab-test): the verdict in words,
// both rates, the p-value and whether the difference is significant.
import { useEffect, useState, type FormEvent } from "react";
import { describeError } from "../../api";
import { useLocale, useT } from "../../i18n/i18n";
import { adsApi, formatPercent, type AbMetric, type AbResult, type AdAccount, type ReportRow } from "../../lib/ads";
import { messages } from "./messages";

const METRICS: AbMetric[] = ["ctr", "cvr", "follow_rate"];

export function AbTest({ accounts, from, to }: { accounts: AdAccount[]; from: string; to: string }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const [accountId, setAccountId] = useState("");
  const [ads, setAds] = useState<ReportRow[] | null>(null);
  const [a, setA] = useState("");
  const [b, setB] = useState("");
  const [metric, setMetric] = useState<AbMetric>("ctr");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AbResult | null>(null);
  const [error, setError] = useState("");

  const account = accounts.find((x) => x.id === accountId) ?? accounts[0];
  const id = account?.id ?? "";

  useEffect(() => {
    setAds(null);
    setResult(null);
    if (!id || !from || !to || to < from) return;
    let live = true;
    adsApi
      .report({ adAccountIds: [id], from, to, groupBy: "ad" })
      .then((r) => {
        if (!live) return;
        const rows = [...r.rows].sort((x, y) => y.totals.impressions - x.totals.impressions);
        setAds(rows);
        setA((cur) => (rows.some((x) => x.key === cur) ? cur : (rows[0]?.key ?? "")));
        setB((cur) => (rows.some((x) => x.key === cur) ? cur : (rows[1]?.key ?? "")));
      })
      .catch((e) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [id, from, to, account?.synced_through]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!a || !b || a === b) {
      setError(t("abSame"));
      return;
    }
    setBusy(true);
    setError("");
    try {
      setResult(await adsApi.abTest(id, { a, b, metric, from, to }));
    } catch (err) {
      setResult(null);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  if (!account) return null;
  const label = (r: ReportRow) => (r.name ? `${r.name} (${r.key})` : r.key);
  const nameOf = (key: string) => {
    const r = ads?.find((x) => x.key === key);
    return r ? label(r) : key;
  };

  return (
    <section className="card ads-section" aria-labelledby="ads-ab-h" data-testid="ads-ab">
      <h2 id="ads-ab-h">{t("abTitle")}</h2>
      <p className="muted">{t("abIntro")}</p>
      <form className="ads-ab-form" onSubmit={submit}>
        {accounts.length > 1 && (
          <label>
            {t("abAccount")}
            <select value={id} onChange={(e) => setAccountId(e.target.value)}>
              {accounts.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name || x.external_id}
                </option>
              ))}
            </select>
          </label>
        )}
        {ads !== null && ads.length < 2 ? (
          <p className="muted">{t("abNoAds")}</p>
        ) : (
          <>
            <label>
              {t("abA")}
              <select value={a} onChange={(e) => setA(e.target.value)} data-testid="ab-a">
                <option value="">{t("abChoose")}</option>
                {(ads ?? []).map((r) => (
                  <option key={r.key} value={r.key}>
                    {label(r)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("abB")}
              <select value={b} onChange={(e) => setB(e.target.value)} data-testid="ab-b">
                <option value="">{t("abChoose")}</option>
                {(ads ?? []).map((r) => (
                  <option key={r.key} value={r.key}>
                    {label(r)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("abMetric")}
              <select value={metric} onChange={(e) => setMetric(e.target.value as AbMetric)} data-testid="ab-metric">
                {METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t(`m_${m}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="primary" disabled={busy || ads === null}>
              {busy ? t("abRunning") : t("abRun")}
            </button>
          </>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div aria-live="polite">
        {result && (
          <div className={result.significant ? "ads-ab-result significant" : "ads-ab-result"} data-testid="ab-result">
            <p className="ads-verdict" data-testid="ab-verdict">
              {result.verdict}
            </p>
            <div className="row">
              <span className={result.significant ? "badge ok" : "badge"}>
                {result.significant ? t("abSignificant") : t("abNotSignificant")}
              </span>
              <span className="muted">{t("abPValue", { p: result.p_value < 0.001 ? "< 0.001" : result.p_value.toFixed(3) })}</span>
            </div>
            <table className="ads-ab-table">
              <thead>
                <tr>
                  <th scope="col">{t("abA")} / {t("abB")}</th>
                  <th scope="col" className="num">
                    {t("abRate")}
                  </th>
                  <th scope="col">{t("abWinner")}</th>
                </tr>
              </thead>
              <tbody>
                {[result.a, result.b].map((arm, i) => (
                  <tr key={i}>
                    <th scope="row">
                      {i === 0 ? "A" : "B"}: {nameOf(arm.ad)}
                    </th>
                    <td className="num">{formatPercent(arm.rate, locale)}</td>
                    <td>{result.winner === arm.ad ? "✓" : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted ads-note">{t("abTest", { test: result.test })}</p>
          </div>
        )}
      </div>
    </section>
  );
}
