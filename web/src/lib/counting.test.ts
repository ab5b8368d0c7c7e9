// Cases shared with adapters/common/capabilities_test.cpp (and more), so the composer's counter and the
// server's check cannot drift apart unnoticed.
import { describe, expect, it } from "vitest";
import { countText, withHashtags } from "./counting";

describe("countText", () => {
  it("counts code points, UTF-16 units and bytes", () => {
    expect(countText("code_points", "héllo 😀")).toBe(7);
    expect(countText("utf16", "héllo 😀")).toBe(8);
    expect(countText("bytes", "héllo 😀")).toBe(11);
  });
  it("weighs CJK 2 and every URL 23 for X", () => {
    expect(countText("twitter_weighted", "hello")).toBe(5);
    expect(countText("twitter_weighted", "你好")).toBe(4);
    expect(countText("twitter_weighted", "see https://example.com/a/very/long/path?x=1 now")).toBe(4 + 23 + 4);
    // A URL glued to a word is not a URL to X's counter.
    expect(countText("twitter_weighted", "xhttps://a.b")).toBe(12);
  });
  it("counts two ASCII characters as one on Weibo", () => {
    expect(countText("weibo", "微博")).toBe(2);
    expect(countText("weibo", "abc")).toBe(2);
    expect(countText("weibo", "微博abc")).toBe(4);
  });
});

describe("withHashtags", () => {
  it("appends the tags that are not in the text yet", () => {
    expect(withHashtags("Spring tea", ["launch", "#tea"])).toBe("Spring tea #launch #tea");
    expect(withHashtags("Our #launch", ["launch"])).toBe("Our #launch");
    expect(withHashtags("", ["a"])).toBe("#a");
  });
});
