// The ads dashboard's two charts as ECharts options, built from reports (lib/ads.ts): spend and clicks per
// day (two lines, two axes) and spend by campaign (horizontal bars, biggest first). Money is plotted in major
// units of the report's currency; tooltips format it with the currency and escape every name.
import { formatInteger, formatMoney, minorDigits, type ReportRow, type Totals } from "../../lib/ads";
import { escapeHtml, type ChartOption } from "./EChart";

interface AxisParam {
  axisValueLabel?: string;
  seriesName?: string;
  marker?: string;
  value?: number | null;
  seriesIndex?: number;
}

function compact(locale: string) {
  const f = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  return (v: number) => f.format(v);
}

export function dailyOption(
  days: string[],
  spendMinor: (number | null)[],
  clicks: (number | null)[],
  currency: string,
  labels: { spend: string; clicks: string },
  locale: string,
): ChartOption {
  const scale = 10 ** minorDigits(currency);
  return {
    grid: { left: 56, right: 56, top: 40, bottom: 32 },
    legend: { top: 0, data: [labels.spend, labels.clicks] },
    tooltip: {
      trigger: "axis",
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as AxisParam[];
        const head = escapeHtml(list[0]?.axisValueLabel ?? "");
        const lines = list.map((p) => {
          const v = p.value ?? null;
          const text = p.seriesIndex === 0 ? formatMoney(v === null ? null : v * scale, currency, locale) : formatInteger(v, locale);
          return `${p.marker ?? ""}${escapeHtml(p.seriesName ?? "")}: <b>${escapeHtml(text)}</b>`;
        });
        return [head, ...lines].join("<br/>");
      },
    },
    xAxis: { type: "category", data: days, axisLabel: { formatter: (d: string) => d.slice(5) } },
    yAxis: [
      { type: "value", name: currency, axisLabel: { formatter: compact(locale) } },
      { type: "value", name: labels.clicks, splitLine: { show: false }, axisLabel: { formatter: compact(locale) } },
    ],
    series: [
      {
        type: "line",
        name: labels.spend,
        yAxisIndex: 0,
        showSymbol: false,
        data: spendMinor.map((v) => (v === null ? null : v / scale)),
      },
      { type: "line", name: labels.clicks, yAxisIndex: 1, showSymbol: false, data: clicks },
    ],
  };
}

// Campaign rows sorted by spend, biggest first (the top of the chart), with their display names.
export function byCampaign(rows: ReportRow[]): { name: string; totals: Totals }[] {
  return rows
    .map((r) => ({ name: r.name || r.key || "—", totals: r.totals }))
    .sort((a, b) => b.totals.spend_minor - a.totals.spend_minor);
}

export function campaignOption(
  list: { name: string; totals: Totals }[],
  currency: string,
  spendLabel: string,
  locale: string,
): ChartOption {
  const scale = 10 ** minorDigits(currency);
  const shown = [...list].reverse(); // ECharts draws the first category at the bottom
  return {
    grid: { left: 8, right: 24, top: 16, bottom: 24, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: unknown) => {
        const p = ((Array.isArray(params) ? params : [params]) as AxisParam[])[0];
        const v = p?.value ?? null;
        return `${escapeHtml(p?.axisValueLabel ?? "")}<br/>${escapeHtml(spendLabel)}: <b>${escapeHtml(
          formatMoney(v === null ? null : v * scale, currency, locale),
        )}</b>`;
      },
    },
    xAxis: { type: "value", axisLabel: { formatter: compact(locale) } },
    yAxis: {
      type: "category",
      data: shown.map((c) => c.name),
      axisLabel: { width: 160, overflow: "truncate" },
    },
    series: [{ type: "bar", name: spendLabel, data: shown.map((c) => c.totals.spend_minor / scale), barMaxWidth: 28 }],
  };
}
