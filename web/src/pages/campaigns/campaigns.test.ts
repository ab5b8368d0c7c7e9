// The links table's CSV export (lib/campaigns.ts): RFC 4180 quoting, no formulas for spreadsheets, CRLF rows;
// the clicks-per-day sum over links; the status changes offered for each status.
import { describe, expect, it } from "vitest";
import { csvField, linksCsv, nextStatuses, sumDaily, toCsv, type ShortLink } from "../../lib/campaigns";

describe("csvField", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvField("spring-tea")).toBe("spring-tea");
    expect(csvField("春茶 上新")).toBe("春茶 上新");
    expect(csvField(42)).toBe("42");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(null)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
  });
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
  });
  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvField("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1")).toBe("\"'+1\"");
    expect(csvField("-2")).toBe("\"'-2\"");
    expect(csvField("@SUM(A1)")).toBe("\"'@SUM(A1)\"");
    expect(csvField("\tx")).toBe("\"'\tx\"");
    expect(csvField("a=b")).toBe("a=b");
  });
});

describe("toCsv", () => {
  it("joins fields with commas and rows with CRLF, ending with one", () => {
    expect(toCsv([["a", "b"], ["1,2", 3]])).toBe('a,b\r\n"1,2",3\r\n');
  });
});

describe("linksCsv", () => {
  it("writes a header and one row per link with its UTM fields and both click counts", () => {
    const link: ShortLink = {
      code: "abc2345",
      brand_id: "b",
      campaign_id: "c",
      post_id: null,
      account_id: null,
      target: "https://shop.example.com/tea?utm_source=weibo&utm_medium=social",
      utm: { source: "weibo", medium: "social" },
      label: "Spring, launch",
      clicks: 12,
      bot_clicks: 3,
      created_at: "2026-03-01T08:00:00.000Z",
      short_url: "http://127.0.0.1:8080/l/abc2345",
      qr_url: "/api/v1/links/abc2345/qr.svg",
    };
    const lines = linksCsv([link]).split("\r\n");
    expect(lines[0]).toBe(
      "code,short_url,target,label,utm_source,utm_medium,utm_campaign,utm_term,utm_content,clicks,bot_clicks,created_at",
    );
    expect(lines[1]).toBe(
      'abc2345,http://127.0.0.1:8080/l/abc2345,https://shop.example.com/tea?utm_source=weibo&utm_medium=social,"Spring, launch",weibo,social,,,,12,3,2026-03-01T08:00:00.000Z',
    );
    expect(lines).toHaveLength(3); // header, the link, the empty string after the last CRLF
  });
});

describe("sumDaily", () => {
  it("adds the links' days up, people and bots apart, and ignores days outside the axis", () => {
    const days = ["2026-03-01", "2026-03-02", "2026-03-03"];
    const out = sumDaily(days, [
      { daily: [{ date: "2026-03-01", clicks: 2, bot_clicks: 1, unique_visitors: 2 }] },
      {
        daily: [
          { date: "2026-03-01", clicks: 3, bot_clicks: 0, unique_visitors: 1 },
          { date: "2026-03-03", clicks: 1, bot_clicks: 4, unique_visitors: 1 },
          { date: "2026-02-28", clicks: 9, bot_clicks: 9, unique_visitors: 9 },
        ],
      },
    ]);
    expect(out.clicks).toEqual([5, 0, 1]);
    expect(out.bot_clicks).toEqual([1, 0, 4]);
  });
});

describe("nextStatuses", () => {
  it("offers what the server allows (pause and resume go their own way)", () => {
    expect(nextStatuses("draft")).toEqual(["planned", "active", "cancelled"]);
    expect(nextStatuses("active")).toEqual(["completed", "cancelled"]);
    expect(nextStatuses("paused")).toEqual([]);
    expect(nextStatuses("completed")).toEqual([]);
  });
});
