// The ads dashboard (/ads, F7 point 6): one ad account of the brand or all of them, a range of days (the last
// 30 by default); the sync status of each account; the KPI summary; spend and clicks per day and spend by
// campaign (ECharts); a table by the chosen dimension with the API's CSV beside it; today's alerts; an A/B
// comparison of two ads. Everything comes from /api/v1/ads (lib/ads.ts): KPIs are the server's, computed from
// sums. ads.read to see; ads.manage to connect an ad account. In the demo the ad accounts are the platform
// sandbox's: the page says the numbers are simulated.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { describeError } from "../../api";
import { common } from "../../i18n/common";
import { useLocale, useT } from "../../i18n/i18n";
import { useAccounts } from "../../lib/accounts";
import {
  GROUP_BYS,
  SUMMARY_KPIS,
  adsApi,
  dailySeries,
  formatInteger,
  formatKpi,
  formatMoney,
  lastDays,
  type AdAccount,
  type Alert,
  type GroupBy,
  type Report,
  type ReportParams,
} from "../../lib/ads";
import { useSession } from "../../session";
import { AbTest } from "./AbTest";
import { ConnectAdAccount } from "./ConnectAdAccount";
import { EChart } from "./EChart";
import { byCampaign, campaignOption, dailyOption } from "./charts";
import { messages } from "./messages";
import "./ads.css";

type T = ReturnType<typeof useT<keyof (typeof messages)["en"]>>;

interface Reports {
  daily: Report;
  campaigns: Report;
  table: Report;
}

export default function AdsPage() {
  const t = useT(messages);
  const tc = useT(common);
  const { locale } = useLocale();
  const { brandId, brands, can } = useSession();
  const allowed = can("ads.read", "");
  const [accounts, setAccounts] = useState<AdAccount[] | null>(null);
  const [selected, setSelected] = useState(""); // "" = all of the brand's
  const [range, setRange] = useState(() => lastDays(30));
  const [groupBy, setGroupBy] = useState<GroupBy>("campaign");
  const [currency, setCurrency] = useState("");
  const [reports, setReports] = useState<Reports | null>(null);
  const [alerts, setAlerts] = useState<{ account: AdAccount; day: string; alerts: Alert[] }[]>([]);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);
  const social = useAccounts(brandId, allowed);
  const seq = useRef(0);

  const loadAccounts = useCallback(() => {
    if (!allowed) return;
    adsApi
      .accounts(brandId)
      .then((list) => setAccounts(list))
      .catch((e) => setError(describeError(e)));
  }, [allowed, brandId]);
  useEffect(loadAccounts, [loadAccounts]);
  useEffect(() => setSelected(""), [brandId]);

  // While an account syncs, look again every few seconds (progress moves; the report fills in).
  const syncing = (accounts ?? []).some((a) => a.status === "syncing");
  useEffect(() => {
    if (!syncing) return;
    const timer = setInterval(loadAccounts, 3000);
    return () => clearInterval(timer);
  }, [syncing, loadAccounts]);

  const chosen = useMemo(
    () => (accounts ?? []).filter((a) => !selected || a.id === selected),
    [accounts, selected],
  );
  const currencies = useMemo(() => [...new Set(chosen.map((a) => a.currency).filter(Boolean))].sort(), [chosen]);
  const reportCurrency = currencies.length > 1 ? currency || currencies[0] : undefined;
  const ids = chosen.map((a) => a.id).join(",");
  // Reload when an account's data moves on (a sync finished), not on every poll.
  const dataVersion = chosen.map((a) => `${a.id}:${a.status}:${a.synced_through ?? ""}:${a.progress?.days_done ?? ""}`).join("|");
  const syncedThrough = chosen.reduce<string | null>(
    (max, a) => (a.synced_through && (!max || a.synced_through > max) ? a.synced_through : max),
    null,
  );

  const params = useCallback(
    (g: GroupBy): ReportParams => ({
      adAccountIds: ids ? ids.split(",") : [],
      from: range.from,
      to: range.to,
      groupBy: g,
      currency: reportCurrency,
    }),
    [ids, range, reportCurrency],
  );

  useEffect(() => {
    if (!ids || !range.from || !range.to || range.to < range.from) {
      setReports(null);
      return;
    }
    const mine = ++seq.current;
    const ctl = new AbortController();
    setLoading(true);
    const daily = adsApi.report(params("day"), ctl.signal);
    const campaigns = adsApi.report(params("campaign"), ctl.signal);
    const table = groupBy === "day" ? daily : groupBy === "campaign" ? campaigns : adsApi.report(params(groupBy), ctl.signal);
    Promise.all([daily, campaigns, table])
      .then(([d, c, tb]) => {
        if (mine !== seq.current) return;
        setReports({ daily: d, campaigns: c, table: tb });
        setError("");
      })
      .catch((e) => {
        if (mine !== seq.current || ctl.signal.aborted) return;
        setReports(null);
        setError(describeError(e));
      })
      .finally(() => mine === seq.current && setLoading(false));
    return () => ctl.abort();
  }, [ids, range, groupBy, params, dataVersion]);

  useEffect(() => {
    if (!ids) {
      setAlerts([]);
      return;
    }
    let live = true;
    Promise.all(chosen.map((a) => adsApi.alerts(a.id).then((r) => ({ account: a, day: r.day, alerts: r.alerts }))))
      .then((list) => live && setAlerts(list))
      .catch(() => live && setAlerts([]));
    return () => {
      live = false;
    };
  }, [ids, dataVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!allowed) {
    return (
      <div className="page">
        <h1>{t("title")}</h1>
        <p className="muted">{t("noAccess")}</p>
      </div>
    );
  }

  const sandboxIds = new Set(social.filter((s) => s.sandbox).map((s) => s.id));
  const anySandbox = chosen.some((a) => sandboxIds.has(a.account_id));
  const manageBrands = brands.filter((b) => can("ads.manage", b.id) && (!brandId || b.id === brandId));

  return (
    <div className="page ads-page">
      <div className="page-head">
        <h1>{t("title")}</h1>
        {anySandbox && (
          <span className="badge warn" data-testid="ads-sandbox-badge">
            {t("sandboxBadge")}
          </span>
        )}
        {loading && (
          <span className="muted" role="status">
            {t("refreshing")}
          </span>
        )}
      </div>
      {anySandbox && <p className="sandbox-note">{t("sandboxNote")}</p>}
      {error && (
        <p className="error" role="alert">
          {t("loadError", { error })}
        </p>
      )}

      {accounts === null ? (
        <p className="muted">{tc("loading")}</p>
      ) : accounts.length === 0 ? (
        <section className="card">
          <p>{t("noAccounts")}</p>
          {manageBrands.length > 0 && <p className="muted">{t("noAccountsHint")}</p>}
        </section>
      ) : (
        <>
          <section className="card ads-filters" aria-labelledby="ads-filters-h">
            <h2 id="ads-filters-h" className="visually-hidden">
              {t("filters")}
            </h2>
            <div className="ads-filter-row">
              <label>
                {t("adAccount")}
                <select value={selected} onChange={(e) => setSelected(e.target.value)} data-testid="ads-account">
                  <option value="">{t("allAccounts", { n: accounts.length })}</option>
                  {accounts.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name || a.external_id} ({a.external_id})
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("from")}
                <input
                  type="date"
                  value={range.from}
                  max={range.to}
                  onChange={(e) => e.target.value && setRange((r) => ({ ...r, from: e.target.value }))}
                />
              </label>
              <label>
                {t("to")}
                <input
                  type="date"
                  value={range.to}
                  min={range.from}
                  onChange={(e) => e.target.value && setRange((r) => ({ ...r, to: e.target.value }))}
                />
              </label>
              {currencies.length > 1 && (
                <label title={t("currencyHint")}>
                  {t("currency")}
                  <select value={reportCurrency} onChange={(e) => setCurrency(e.target.value)}>
                    {currencies.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </label>
              )}
            </div>
          </section>

          <SyncStatus accounts={chosen} sandboxIds={sandboxIds} t={t} locale={locale} />

          {reports && (
            <>
              <Summary report={reports.table} t={t} locale={locale} />
              <div className="ads-charts">
                <DailyChart report={reports.daily} syncedThrough={syncedThrough} t={t} locale={locale} />
                <CampaignChart report={reports.campaigns} t={t} locale={locale} />
              </div>
              <section className="card ads-section" aria-labelledby="ads-table-h">
                <div className="ads-section-head">
                  <h2 id="ads-table-h">{t("tableTitle", { dimension: t(`gb_${groupBy}`) })}</h2>
                  <label className="ads-inline">
                    {t("groupBy")}
                    <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)} data-testid="ads-group-by">
                      {GROUP_BYS.map((g) => (
                        <option key={g} value={g}>
                          {t(`gb_${g}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <a className="ads-csv" href={adsApi.csvUrl(params(groupBy))} download data-testid="ads-csv">
                    {t("downloadCsv")}
                  </a>
                </div>
                <ReportTable report={reports.table} t={t} locale={locale} />
              </section>
            </>
          )}

          <Alerts list={alerts} t={t} />

          <AbTest accounts={chosen} from={range.from} to={range.to} />
        </>
      )}

      {manageBrands.length > 0 && (
        <ConnectAdAccount social={social.filter((s) => manageBrands.some((b) => b.id === s.brand_id))} onConnected={loadAccounts} />
      )}
    </div>
  );
}

function SyncStatus({
  accounts,
  sandboxIds,
  t,
  locale,
}: {
  accounts: AdAccount[];
  sandboxIds: Set<string>;
  t: T;
  locale: string;
}) {
  return (
    <section className="card ads-section" aria-labelledby="ads-sync-h" data-testid="ads-sync">
      <h2 id="ads-sync-h">{t("syncTitle")}</h2>
      <ul className="ads-sync-list">
        {accounts.map((a) => {
          const done = a.progress?.days_done ?? 0;
          const total = a.progress?.days_total ?? 0;
          const badge = a.status === "ok" ? "ok" : a.status === "error" ? "danger" : "warn";
          const label = a.status === "ok" ? t("syncOk") : a.status === "error" ? t("syncError") : t("syncing");
          return (
            <li key={a.id} className="ads-sync-item">
              <div className="row">
                <strong>{a.name || a.external_id}</strong>
                <span className="muted">
                  {a.platform} · {a.external_id} · {a.currency}
                </span>
                <span className={`badge ${badge}`} data-testid={`ads-sync-status-${a.id}`}>
                  {label}
                </span>
                {sandboxIds.has(a.account_id) && <span className="badge warn">{t("sandboxBadge")}</span>}
              </div>
              {total > 0 && (
                <div className="ads-progress">
                  <progress max={total} value={done} aria-label={t("progress", { done, total })} />
                  <span>{t("progress", { done, total })}</span>
                </div>
              )}
              <p className="muted ads-sync-facts">
                {a.synced_through ? t("syncedThrough", { day: a.synced_through }) : t("notSynced")} ·{" "}
                {t("entities", { campaigns: a.entities.campaigns, adsets: a.entities.adsets, ads: a.entities.ads })}
                {a.last_sync_at && (
                  <>
                    {" · "}
                    {t("lastSync", {
                      time: new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" }).format(
                        new Date(a.last_sync_at),
                      ),
                    })}
                  </>
                )}
              </p>
              {a.last_error && <p className="error">{a.last_error}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Summary({ report, t, locale }: { report: Report; t: T; locale: string }) {
  const { totals, kpis } = report.total;
  const c = report.currency;
  const items: { key: string; label: string; value: string; title?: string }[] = [
    { key: "spend", label: t("spend"), value: formatMoney(totals.spend_minor, c, locale) },
    { key: "impressions", label: t("impressions"), value: formatInteger(totals.impressions, locale) },
    { key: "clicks", label: t("clicks"), value: formatInteger(totals.clicks, locale) },
    ...SUMMARY_KPIS.map((k) => ({
      key: k,
      label: t(`k_${k}`),
      value: formatKpi(k, kpis[k], c, locale),
      title: report.formulas[k],
    })),
  ];
  return (
    <section className="card ads-section" aria-labelledby="ads-summary-h">
      <h2 id="ads-summary-h">{t("summaryTitle")}</h2>
      <dl className="ads-kpis" data-testid="ads-kpis">
        {items.map((i) => (
          <div key={i.key} className="ads-kpi" title={i.title} data-testid={`kpi-${i.key}`}>
            <dt>{i.label}</dt>
            <dd>{i.value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted ads-note">{t("noDataNote")}</p>
    </section>
  );
}

function DailyChart({
  report,
  syncedThrough,
  t,
  locale,
}: {
  report: Report;
  syncedThrough: string | null;
  t: T;
  locale: string;
}) {
  const c = report.currency;
  const spend = dailySeries(report.from, report.to, report.rows, (x) => x.spend_minor, syncedThrough);
  const clicks = dailySeries(report.from, report.to, report.rows, (x) => x.clicks, syncedThrough);
  const option = useMemo(
    () => dailyOption(spend.days, spend.values, clicks.values, c, { spend: t("spend"), clicks: t("clicks") }, locale),
    [report, syncedThrough, locale, t], // eslint-disable-line react-hooks/exhaustive-deps
  );
  let peak = -1;
  spend.values.forEach((v, i) => {
    if (v !== null && (peak < 0 || v > (spend.values[peak] ?? 0))) peak = i;
  });
  const summary = report.rows.length
    ? t("chartDailySummary", {
        from: report.from,
        to: report.to,
        spend: formatMoney(report.total.totals.spend_minor, c, locale),
        peakDay: spend.days[peak] ?? "",
        peakSpend: formatMoney(spend.values[peak] ?? null, c, locale),
        clicks: formatInteger(report.total.totals.clicks, locale),
      })
    : t("chartEmpty");
  return (
    <section className="card ads-section" aria-label={t("chartDaily")}>
      <EChart
        option={option}
        caption={t("chartDaily")}
        summary={summary}
        testId="ads-chart-daily"
        table={{
          columns: [t("day"), t("spend"), t("clicks")],
          rows: spend.days.map((d, i) => [
            d,
            formatMoney(spend.values[i], c, locale),
            formatInteger(clicks.values[i], locale),
          ]),
        }}
      />
    </section>
  );
}

function CampaignChart({ report, t, locale }: { report: Report; t: T; locale: string }) {
  const c = report.currency;
  const list = byCampaign(report.rows);
  const option = useMemo(
    () => campaignOption(list, c, t("spend"), locale),
    [report, locale, t], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const summary = list.length
    ? t("chartByCampaignSummary", {
        n: list.length,
        top: list[0].name,
        topSpend: formatMoney(list[0].totals.spend_minor, c, locale),
      })
    : t("chartEmpty");
  return (
    <section className="card ads-section" aria-label={t("chartByCampaign")}>
      <EChart
        option={option}
        caption={t("chartByCampaign")}
        summary={summary}
        height={Math.max(180, 48 + 32 * list.length)}
        testId="ads-chart-campaigns"
        table={{
          columns: [t("campaign"), t("spend")],
          rows: list.map((x) => [x.name, formatMoney(x.totals.spend_minor, c, locale)]),
        }}
      />
    </section>
  );
}

function ReportTable({ report, t, locale }: { report: Report; t: T; locale: string }) {
  const c = report.currency;
  const kpiCols = SUMMARY_KPIS;
  const named = report.group_by === "campaign" || report.group_by === "adset" || report.group_by === "ad";
  const row = (key: string, label: string, r: Report["total"], strong = false) => (
    <tr key={key} className={strong ? "ads-total" : undefined}>
      <th scope="row">
        {label}
        {named && key !== "__total" && label !== key && <div className="muted ads-key">{key}</div>}
      </th>
      <td className="num">{formatInteger(r.totals.impressions, locale)}</td>
      <td className="num">{formatInteger(r.totals.clicks, locale)}</td>
      <td className="num">{formatInteger(r.totals.conversions, locale)}</td>
      <td className="num">{formatMoney(r.totals.spend_minor, c, locale)}</td>
      <td className="num">{formatMoney(r.totals.revenue_minor, c, locale)}</td>
      {kpiCols.map((k) => (
        <td key={k} className="num">
          {formatKpi(k, r.kpis[k], c, locale)}
        </td>
      ))}
    </tr>
  );
  if (report.rows.length === 0) return <p className="muted">{t("noRows")}</p>;
  return (
    <div className="ads-scroll">
      <table className="ads-table" data-testid="ads-table">
        <thead>
          <tr>
            <th scope="col">{t(`gb_${report.group_by}`)}</th>
            <th scope="col" className="num">
              {t("impressions")}
            </th>
            <th scope="col" className="num">
              {t("clicks")}
            </th>
            <th scope="col" className="num">
              {t("conversions")}
            </th>
            <th scope="col" className="num">
              {t("spend")}
            </th>
            <th scope="col" className="num">
              {t("revenue")}
            </th>
            {kpiCols.map((k) => (
              <th key={k} scope="col" className="num" title={report.formulas[k]}>
                {t(`k_${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{report.rows.map((r) => row(r.key, r.name || r.key || "—", r))}</tbody>
        {report.group_by !== "total" && <tfoot>{row("__total", t("total"), report.total, true)}</tfoot>}
      </table>
    </div>
  );
}

function Alerts({ list, t }: { list: { account: AdAccount; day: string; alerts: Alert[] }[]; t: T }) {
  const all = list.flatMap((l) => l.alerts.map((a) => ({ ...a, account: l.account, day: l.day })));
  const kindLabel = (k: string) =>
    k === "spend_ahead_of_pace" ? t("kind_spend_ahead_of_pace") : k === "cpc_spike" ? t("kind_cpc_spike") : k;
  return (
    <section className="card ads-section" aria-labelledby="ads-alerts-h" data-testid="ads-alerts">
      <h2 id="ads-alerts-h">{t("alertsTitle")}</h2>
      {all.length === 0 ? (
        <p className="muted">{t("noAlerts")}</p>
      ) : (
        <ul className="ads-alerts">
          {all.map((a, i) => (
            <li key={i} className={`ads-alert ${a.severity === "high" ? "high" : "medium"}`}>
              <span className={`badge ${a.severity === "high" ? "danger" : "warn"}`}>
                {a.severity === "high" ? t("sev_high") : t("sev_medium")}
              </span>{" "}
              <strong>{kindLabel(a.kind)}</strong> — {a.message}
              <div className="muted ads-key">{t("alertsFor", { account: a.account.name || a.account.external_id, day: a.day })}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
