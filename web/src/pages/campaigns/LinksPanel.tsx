// A campaign's short links: the form for a new one (a target and its UTM fields, POST /api/v1/links), the table
// (clicks by people and by bots apart, copy the short URL, the QR code for print, a CSV export made in the
// browser) and the clicks per day of all its links over the last 30 days (UTC days, as the server counts
// them), as an ECharts line chart.
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { describeError, newIdempotencyKey } from "../../api";
import { common } from "../../i18n/common";
import { useLocale, useT } from "../../i18n/i18n";
import { daysBetween, formatInteger } from "../../lib/ads";
import {
  UTM_FIELDS,
  campaignsApi,
  downloadText,
  linksCsv,
  sumDaily,
  type Campaign,
  type LinkDetail,
  type ShortLink,
  type Utm,
} from "../../lib/campaigns";
import { useStream } from "../../stream";
import { EChart, escapeHtml, type ChartOption } from "../ads/EChart";
import { messages } from "./messages";

const CHART_DAYS = 30;
const CHART_LINKS = 50; // the chart reads each link's daily counts: at most this many

function utcDays(n: number): string[] {
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(today + "T00:00:00Z") - (n - 1) * 86_400_000).toISOString().slice(0, 10);
  return daysBetween(from, today);
}

function fileSlug(name: string): string {
  return name.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "campaign";
}

export function LinksPanel({ campaign: c, manage }: { campaign: Campaign; manage: boolean }) {
  const t = useT(messages);
  const tc = useT(common);
  const { locale } = useLocale();
  const [links, setLinks] = useState<ShortLink[] | null>(null);
  const [details, setDetails] = useState<LinkDetail[]>([]);
  const [error, setError] = useState("");
  const [openQr, setOpenQr] = useState("");
  const [copied, setCopied] = useState("");

  const load = useCallback(() => {
    campaignsApi
      .links(c.brand_id, c.id)
      .then((r) => {
        setLinks(r.items);
        setError("");
      })
      .catch((e) => setError(describeError(e)));
  }, [c.brand_id, c.id]);
  useEffect(load, [load]);
  useStream((e) => {
    if (e.type === "stream.connected") load();
  });

  const days = useMemo(() => utcDays(CHART_DAYS), []);
  const codes = (links ?? []).slice(0, CHART_LINKS).map((l) => l.code).join(",");
  const clickSum = (links ?? []).reduce((n, l) => n + l.clicks + l.bot_clicks, 0);
  useEffect(() => {
    if (!codes) {
      setDetails([]);
      return;
    }
    let live = true;
    Promise.all(codes.split(",").map((code) => campaignsApi.link(code, `${days[0]}T00:00:00Z`)))
      .then((list) => live && setDetails(list))
      .catch(() => live && setDetails([]));
    return () => {
      live = false;
    };
  }, [codes, clickSum, days]);

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(t("copied", { url }));
    } catch {
      setCopied(t("copyFailed"));
    }
  };

  return (
    <section className="card camp-links" aria-labelledby="camp-links-h" data-testid="campaign-links">
      <div className="camp-section-head">
        <h2 id="camp-links-h">{t("linksTitle")}</h2>
        {links && links.length > 0 && (
          <button
            type="button"
            onClick={() => downloadText(`links-${fileSlug(c.name)}.csv`, linksCsv(links))}
            data-testid="links-export"
          >
            {t("exportCsv")}
          </button>
        )}
      </div>
      {manage && <NewLink campaign={c} onCreated={load} />}
      {error && (
        <p className="error" role="alert">
          {t("loadError", { error })}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {copied}
      </p>
      {links === null ? (
        <p className="muted">{tc("loading")}</p>
      ) : links.length === 0 ? (
        <p className="muted">{t("noLinks")}</p>
      ) : (
        <>
          <div className="camp-scroll">
            <table className="camp-table" data-testid="links-table">
              <thead>
                <tr>
                  <th scope="col">{t("colShort")}</th>
                  <th scope="col">{t("colTarget")}</th>
                  <th scope="col" className="num">
                    {t("colClicks")}
                  </th>
                  <th scope="col" className="num">
                    {t("colBots")}
                  </th>
                  <th scope="col">{t("colCreated")}</th>
                  <th scope="col">{t("colQr")}</th>
                </tr>
              </thead>
              <tbody>
                {links.map((l) => (
                  <Fragment key={l.code}>
                    <tr data-testid={`link-${l.code}`}>
                      <th scope="row" className="camp-short">
                        <code>{l.short_url}</code>
                        {l.label && <div className="muted camp-hint">{l.label}</div>}
                        <button type="button" className="link-button" onClick={() => void copy(l.short_url)}>
                          {t("copy")}
                        </button>
                      </th>
                      <td className="camp-target">
                        <a href={l.target} target="_blank" rel="noopener noreferrer">
                          {l.target}
                        </a>
                      </td>
                      <td className="num" data-testid="link-clicks">
                        {formatInteger(l.clicks, locale)}
                      </td>
                      <td className="num" data-testid="link-bot-clicks">
                        {formatInteger(l.bot_clicks, locale)}
                      </td>
                      <td>
                        {new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
                          new Date(l.created_at),
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          aria-expanded={openQr === l.code}
                          aria-controls={`qr-${l.code}`}
                          onClick={() => setOpenQr(openQr === l.code ? "" : l.code)}
                        >
                          {openQr === l.code ? t("hideQr") : t("showQr")}
                        </button>
                      </td>
                    </tr>
                    {openQr === l.code && (
                      <tr id={`qr-${l.code}`} className="camp-qr-row">
                        <td colSpan={6}>
                          <div className="camp-qr">
                            <img src={l.qr_url} alt={t("qrAlt", { url: l.short_url })} width={176} height={176} data-testid="link-qr" />
                            <a href={l.qr_url} download={`${l.code}.svg`}>
                              {t("downloadQr")}
                            </a>
                          </div>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
          <ClicksChart days={days} details={details} />
        </>
      )}
    </section>
  );
}

function NewLink({ campaign: c, onCreated }: { campaign: Campaign; onCreated: () => void }) {
  const t = useT(messages);
  const [target, setTarget] = useState("");
  const [label, setLabel] = useState("");
  const [utm, setUtm] = useState<Utm>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [created, setCreated] = useState("");
  const idem = useRef(newIdempotencyKey());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    setCreated("");
    const fields: Utm = {};
    for (const f of UTM_FIELDS) if (utm[f]?.trim()) fields[f] = utm[f]!.trim();
    try {
      const l = await campaignsApi.createLink(
        { brand_id: c.brand_id, campaign_id: c.id, target: target.trim(), label: label.trim() || undefined, utm: fields },
        idem.current,
      );
      idem.current = newIdempotencyKey();
      setCreated(t("linkCreated", { url: l.short_url }));
      setTarget("");
      setLabel("");
      setUtm({});
      onCreated();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack camp-new-link" onSubmit={submit} data-testid="link-create">
      <div className="camp-fields">
        <label className="camp-wide">
          {t("linkTarget")}
          <input
            type="url"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            required
            maxLength={2048}
            placeholder="https://"
            aria-describedby="camp-target-hint"
          />
          <span id="camp-target-hint" className="muted camp-hint">
            {t("linkTargetHint")}
          </span>
        </label>
        <label>
          {t("linkLabel")}
          <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
        </label>
      </div>
      <fieldset className="camp-utm">
        <legend>{t("utm")}</legend>
        <div className="camp-fields">
          {UTM_FIELDS.map((f) => (
            <label key={f}>
              {t(`utm_${f}`)}
              <input
                value={utm[f] ?? ""}
                onChange={(e) => setUtm((u) => ({ ...u, [f]: e.target.value }))}
                maxLength={200}
                placeholder={f === "campaign" ? fileSlug(c.name).toLowerCase() : undefined}
              />
            </label>
          ))}
        </div>
      </fieldset>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t("createLink")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <p className="notice ok" role="status">
          {created}
        </p>
      )}
    </form>
  );
}

function ClicksChart({ days, details }: { days: string[]; details: LinkDetail[] }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const sums = useMemo(() => sumDaily(days, details), [days, details]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 16, top: 36, bottom: 32 },
      legend: { top: 0, data: [t("people"), t("bots")] },
      tooltip: {
        trigger: "axis",
        formatter: (params: unknown) => {
          const list = (Array.isArray(params) ? params : [params]) as {
            axisValueLabel?: string;
            marker?: string;
            seriesName?: string;
            value?: number;
          }[];
          return [
            escapeHtml(list[0]?.axisValueLabel ?? ""),
            ...list.map(
              (p) => `${p.marker ?? ""}${escapeHtml(p.seriesName ?? "")}: <b>${escapeHtml(formatInteger(p.value ?? 0, locale))}</b>`,
            ),
          ].join("<br/>");
        },
      },
      xAxis: { type: "category", data: days, axisLabel: { formatter: (d: string) => d.slice(5) } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { type: "line", name: t("people"), data: sums.clicks, showSymbol: false },
        { type: "line", name: t("bots"), data: sums.bot_clicks, showSymbol: false, lineStyle: { type: "dashed" } },
      ],
    }),
    [days, sums, t, locale],
  );
  const people = sums.clicks.reduce((a, b) => a + b, 0);
  const bots = sums.bot_clicks.reduce((a, b) => a + b, 0);
  let peak = 0;
  sums.clicks.forEach((v, i) => {
    if (v > sums.clicks[peak]) peak = i;
  });
  const summary =
    people + bots > 0
      ? t("chartSummary", {
          from: days[0],
          to: days[days.length - 1],
          clicks: formatInteger(people, locale),
          bots: formatInteger(bots, locale),
          peakDay: days[peak],
          peak: formatInteger(sums.clicks[peak], locale),
        })
      : t("chartEmpty");
  return (
    <div className="camp-chart">
      <EChart
        option={option}
        caption={t("chartTitle")}
        summary={summary}
        height={240}
        testId="links-chart"
        table={{
          columns: [t("day"), t("people"), t("bots")],
          rows: days.map((d, i) => [d, formatInteger(sums.clicks[i], locale), formatInteger(sums.bot_clicks[i], locale)]),
        }}
      />
    </div>
  );
}
