// Money and KPI formatting of the dashboards (lib/ads.ts): minor units scaled by the ISO 4217 digits the server
// uses (services/core/util/currency.cpp), null KPIs shown as "no data" rather than 0, and the daily series that
// tells a day without delivery (0) from a day not read yet (null).
import { describe, expect, it } from "vitest";
import {
  NO_DATA,
  dailySeries,
  daysBetween,
  formatKpi,
  formatMoney,
  formatPercent,
  lastDays,
  minorDigits,
  parseMajorAmount,
  type Totals,
} from "../../lib/ads";

const plain = (s: string) => s.replace(/\s/g, " "); // Intl puts no-break spaces between code and amount

describe("minorDigits", () => {
  it("follows ISO 4217 as the server does", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("CNY")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KRW")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
    expect(minorDigits("CLF")).toBe(4);
    // CLDR (and so Intl) shows IQD without decimals, ISO counts it in thousandths.
    expect(minorDigits("IQD")).toBe(3);
    expect(minorDigits("twd")).toBe(2);
  });
});

describe("formatMoney", () => {
  it("scales minor units by the currency's digits", () => {
    expect(formatMoney(123456, "USD", "en")).toBe("$1,234.56");
    expect(formatMoney(1234, "JPY", "en")).toBe("¥1,234");
    expect(plain(formatMoney(1234, "KWD", "en"))).toBe("KWD 1.234");
    expect(plain(formatMoney(1234, "IQD", "en"))).toBe("IQD 1.234");
    expect(formatMoney(5, "USD", "en")).toBe("$0.05");
    expect(formatMoney(-5, "USD", "en")).toBe("-$0.05");
    expect(formatMoney(120050, "CNY", "zh-CN")).toBe("¥1,200.50");
  });
  it("rounds fractional minor units (a CPC) to the currency's digits", () => {
    expect(formatMoney(12.7, "USD", "en")).toBe("$0.13");
    expect(formatMoney(12.4, "JPY", "en")).toBe("¥12");
  });
  it("shows no data for a missing amount, never zero", () => {
    expect(formatMoney(null, "USD")).toBe(NO_DATA);
    expect(formatMoney(undefined, "USD")).toBe(NO_DATA);
    expect(formatMoney(0, "USD", "en")).toBe("$0.00");
  });
});

describe("parseMajorAmount", () => {
  it("turns typed major units into exact minor units", () => {
    expect(parseMajorAmount("1200.50", "CNY")).toBe(120050);
    expect(parseMajorAmount("1,200.5", "USD")).toBe(120050);
    expect(parseMajorAmount("0.1", "USD")).toBe(10); // not 10.000000000000002
    expect(parseMajorAmount("1234", "JPY")).toBe(1234);
    expect(parseMajorAmount("1.234", "KWD")).toBe(1234);
  });
  it("refuses more decimals than the currency has, and what is not an amount", () => {
    expect(parseMajorAmount("1.234", "USD")).toBeNull();
    expect(parseMajorAmount("1.0", "JPY")).toBeNull();
    expect(parseMajorAmount("1.", "USD")).toBeNull();
    expect(parseMajorAmount("-5", "USD")).toBeNull();
    expect(parseMajorAmount("1e3", "USD")).toBeNull();
    expect(parseMajorAmount("", "USD")).toBeNull();
  });
});

describe("formatKpi", () => {
  it("formats ratios as percentages, costs as money, ROAS as a multiple", () => {
    expect(formatKpi("ctr", 0.025, "USD", "en")).toBe("2.50%");
    expect(formatKpi("cvr", 0.1234, "USD", "en")).toBe("12.34%");
    expect(formatKpi("cpc_minor", 37.5, "USD", "en")).toBe("$0.38");
    expect(formatKpi("cpm_minor", 1999, "JPY", "en")).toBe("¥1,999");
    expect(formatKpi("roas", 3.256, "USD", "en")).toBe("3.26×");
    expect(formatKpi("roi", -0.5, "USD", "en")).toBe("-50.00%");
  });
  it("shows null KPIs (a zero denominator) as no data, and a real 0 as 0", () => {
    for (const k of ["ctr", "cpc_minor", "cpm_minor", "cvr", "cpa_minor", "roas"] as const) {
      expect(formatKpi(k, null, "USD", "en")).toBe(NO_DATA);
    }
    expect(formatKpi("ctr", 0, "USD", "en")).toBe("0.00%");
    expect(formatPercent(Number.NaN)).toBe(NO_DATA);
  });
});

describe("days", () => {
  it("lists the last n local days, today included", () => {
    expect(lastDays(30, new Date(2026, 2, 15, 23, 30))).toEqual({ from: "2026-02-14", to: "2026-03-15" });
    expect(lastDays(1, new Date(2026, 0, 1, 0, 5))).toEqual({ from: "2026-01-01", to: "2026-01-01" });
  });
  it("walks every day of a range, across month ends", () => {
    expect(daysBetween("2026-02-27", "2026-03-02")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(daysBetween("2026-03-02", "2026-03-01")).toEqual([]);
  });
  it("fills days without delivery with 0 and days not read yet with null", () => {
    const t = (spend: number): Totals => ({ impressions: 0, clicks: 0, conversions: 0, follows: 0, spend_minor: spend, revenue_minor: 0 });
    const s = dailySeries("2026-03-01", "2026-03-05", [
      { key: "2026-03-01", totals: t(100) },
      { key: "2026-03-03", totals: t(250) },
    ], (x) => x.spend_minor, "2026-03-03");
    expect(s.days).toEqual(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]);
    expect(s.values).toEqual([100, 0, 250, null, null]);
  });
});
