// The dashboards' chart options (charts.ts): money plotted in major units of the report's currency, campaigns
// biggest first, and tooltips that format money and escape names (ad names come from platforms and people).
import { describe, expect, it } from "vitest";
import type { ReportRow } from "../../lib/ads";
import { byCampaign, campaignOption, dailyOption } from "./charts";

const totals = (spend: number) => ({ impressions: 10, clicks: 1, conversions: 0, follows: 0, spend_minor: spend, revenue_minor: 0 });
const kpis = { ctr: 0.1, cpc_minor: null, cpm_minor: null, cvr: null, cpa_minor: null, roas: null, roi: null, follow_rate: null };

type Formatter = (params: unknown) => string;

describe("dailyOption", () => {
  it("plots spend in major units and keeps days without data empty", () => {
    const o = dailyOption(["2026-03-01", "2026-03-02"], [1234, null], [5, null], "JPY", { spend: "Spend", clicks: "Clicks" }, "en");
    const series = o.series as { data: (number | null)[] }[];
    expect(series[0].data).toEqual([1234, null]);
    const usd = dailyOption(["2026-03-01"], [1234], [5], "USD", { spend: "Spend", clicks: "Clicks" }, "en");
    expect((usd.series as { data: number[] }[])[0].data).toEqual([12.34]);
  });
  it("formats the tooltip's money and escapes its names", () => {
    const o = dailyOption(["2026-03-01"], [1234], [5], "USD", { spend: "<b>Spend</b>", clicks: "Clicks" }, "en");
    const html = ((o.tooltip as { formatter: Formatter }).formatter)([
      { axisValueLabel: "2026-03-01", seriesName: "<b>Spend</b>", seriesIndex: 0, value: 12.34, marker: "" },
      { axisValueLabel: "2026-03-01", seriesName: "Clicks", seriesIndex: 1, value: 1500, marker: "" },
    ]);
    expect(html).toContain("&lt;b&gt;Spend&lt;/b&gt;: <b>$12.34</b>");
    expect(html).toContain("Clicks: <b>1,500</b>");
    expect(html).not.toContain("<b>Spend</b>");
  });
});

describe("campaign bars", () => {
  const rows: ReportRow[] = [
    { key: "c1", name: "Small", totals: totals(100), kpis },
    { key: "c2", name: '<img src=x onerror="alert(1)">', totals: totals(900), kpis },
    { key: "c3", totals: totals(500), kpis },
  ];
  it("sorts campaigns by spend, biggest first, named or by key", () => {
    expect(byCampaign(rows).map((c) => c.name)).toEqual(['<img src=x onerror="alert(1)">', "c3", "Small"]);
  });
  it("draws the biggest on top and escapes the tooltip", () => {
    const o = campaignOption(byCampaign(rows), "CNY", "Spend", "en");
    expect((o.yAxis as { data: string[] }).data).toEqual(["Small", "c3", '<img src=x onerror="alert(1)">']);
    expect((o.series as { data: number[] }[])[0].data).toEqual([1, 5, 9]);
    const html = ((o.tooltip as { formatter: Formatter }).formatter)([{ axisValueLabel: '<img src=x onerror="alert(1)">', value: 9 }]);
    expect(html).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br/>Spend: <b>CN¥9.00</b>");
  });
});
