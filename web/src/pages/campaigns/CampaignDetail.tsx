// One campaign (/campaigns/<id>): its plan (type, goal, theme, dates, budget and allocation, platforms), the KPI
// targets, its status with the changes allowed from it, pause (a reason and a confirmation: a freeze with
// campaign scope) and the two-person resume, and its short links (LinksPanel.tsx). Reloads on the stream's
// campaign.changed for this campaign.
import { useCallback, useEffect, useState } from "react";
import { describeError } from "../../api";
import { common } from "../../i18n/common";
import { useLocale, useT } from "../../i18n/i18n";
import { formatInteger, formatMoney, formatPercent } from "../../lib/ads";
import { campaignsApi, isRatioMetric, type Campaign } from "../../lib/campaigns";
import { Link } from "../../router";
import { useSession } from "../../session";
import { useStream } from "../../stream";
import { LinksPanel } from "./LinksPanel";
import { StatusPanel } from "./StatusPanel";
import { StatusBadge, dateRange } from "./parts";
import { messages, metricMessages } from "./messages";

export function CampaignDetail({ id }: { id: string }) {
  const t = useT(messages);
  const tm = useT(metricMessages);
  const tc = useT(common);
  const { locale } = useLocale();
  const { brands, can } = useSession();
  const [c, setC] = useState<Campaign | null>(null);
  const [error, setError] = useState("");

  const load = useCallback(() => {
    campaignsApi
      .get(id)
      .then((x) => {
        setC(x);
        setError("");
      })
      .catch((e) => setError(describeError(e)));
  }, [id]);
  useEffect(load, [load]);
  useStream((e) => {
    if (e.type === "stream.connected") return load();
    if (e.type === "campaign.changed" && (e.campaign as { id?: string } | undefined)?.id === id) load();
  });

  if (!c) {
    return (
      <div className="page camp-page">
        <Link to="/campaigns">← {t("back")}</Link>
        {error ? (
          <p className="error" role="alert">
            {t("loadError", { error })}
          </p>
        ) : (
          <p className="muted">{tc("loading")}</p>
        )}
      </div>
    );
  }

  const manage = can("campaign.manage", c.brand_id);
  const brand = brands.find((b) => b.id === c.brand_id)?.name ?? "";
  const money = (minor: number) => (c.budget ? formatMoney(minor, c.budget.currency, locale) : formatInteger(minor, locale));
  const kpiTarget = (metric: string, target: number) =>
    isRatioMetric(metric) ? formatPercent(target, locale) : metric === "revenue_minor" ? money(target) : formatInteger(target, locale);

  return (
    <div className="page camp-page" data-testid="campaign-detail">
      <Link to="/campaigns">← {t("back")}</Link>
      <div className="page-head">
        <h1>{c.name}</h1>
        <StatusBadge status={c.status} />
        <span className="muted">
          {brand} · {t(`type_${c.type}`)}
        </span>
      </div>
      {error && (
        <p className="error" role="alert">
          {t("loadError", { error })}
        </p>
      )}

      <div className="camp-top">
        <section className="card" aria-labelledby="camp-plan-h">
          <h2 id="camp-plan-h">{t("planTitle")}</h2>
          <dl className="camp-dl">
            <dt>{t("colDates")}</dt>
            <dd>{dateRange(c, t, locale)}</dd>
            <dt>{t("budget")}</dt>
            <dd data-testid="campaign-budget">
              {c.budget ? formatMoney(c.budget.amount_minor, c.budget.currency, locale) : t("noBudget")}
            </dd>
            {c.allocation.length > 0 && (
              <>
                <dt>{t("allocation")}</dt>
                <dd>
                  <ul className="camp-plain">
                    {c.allocation.map((a, i) => (
                      <li key={i}>
                        {a.label || a.target}: {money(a.amount_minor)}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            {c.goal && (
              <>
                <dt>{t("goal")}</dt>
                <dd className="camp-pre">{c.goal}</dd>
              </>
            )}
            {c.theme && (
              <>
                <dt>{t("theme")}</dt>
                <dd>{c.theme}</dd>
              </>
            )}
            {c.platforms.length > 0 && (
              <>
                <dt>{t("platforms")}</dt>
                <dd>{c.platforms.join(", ")}</dd>
              </>
            )}
            <dt>{t("colLinks")}</dt>
            <dd>
              {t("linksSummary", {
                count: formatInteger(c.links.count, locale),
                clicks: formatInteger(c.links.clicks, locale),
                bots: formatInteger(c.links.bot_clicks, locale),
              })}
            </dd>
          </dl>
          <p className="muted camp-hint">
            {t("updated", {
              time: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(c.updated_at)),
            })}
          </p>
        </section>

        <section className="card" aria-labelledby="camp-kpis-h">
          <h2 id="camp-kpis-h">{t("kpisTitle")}</h2>
          {c.kpis.length === 0 ? (
            <p className="muted">{t("noKpis")}</p>
          ) : (
            <table data-testid="campaign-kpis">
              <thead>
                <tr>
                  <th scope="col">{t("metric")}</th>
                  <th scope="col" className="num">
                    {t("target")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.kpis.map((k) => (
                  <tr key={k.metric}>
                    <th scope="row">{(tm as (key: string) => string)(k.metric)}</th>
                    <td className="num">{kpiTarget(k.metric, k.target)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <StatusPanel campaign={c} manage={manage} onChanged={setC} />
      </div>

      <LinksPanel campaign={c} manage={manage} />
    </div>
  );
}
