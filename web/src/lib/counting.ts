// Text length as each platform counts it: the same rules as the server's check
// (adapters/common/capabilities.cpp, count_text), so the composer's live counter and the 422 the
// server would answer agree. The rule names are the `text.counting` of GET /api/v1/platforms.
export type Counting = "code_points" | "utf16" | "twitter_weighted" | "weibo" | "bytes";

// twitter-text v3: these code points weigh 1, every other one 2.
function twitterLight(cp: number): boolean {
  return cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
}
const isSpace = (cp: number) => cp === 32 || cp === 10 || cp === 9 || cp === 13 || cp === 0x3000;

function startsUrl(cps: number[], i: number): boolean {
  if (i > 0 && cps[i - 1] !== 32 && cps[i - 1] !== 10) return false;
  const at = (prefix: string) => [...prefix].every((c, k) => cps[i + k] === c.codePointAt(0));
  return at("http://") || at("https://");
}

export function countText(rule: Counting, text: string): number {
  const cps = Array.from(text, (c) => c.codePointAt(0) ?? 0);
  switch (rule) {
    case "bytes":
      return new TextEncoder().encode(text).length;
    case "code_points":
      return cps.length;
    case "utf16":
      return cps.reduce((n, cp) => n + (cp > 0xffff ? 2 : 1), 0);
    case "twitter_weighted": {
      let n = 0;
      for (let i = 0; i < cps.length; ) {
        if (startsUrl(cps, i)) {
          while (i < cps.length && !isSpace(cps[i])) i++;
          n += 23; // every URL counts as 23, whatever its length (t.co)
          continue;
        }
        n += twitterLight(cps[i]) ? 1 : 2;
        i++;
      }
      return n;
    }
    case "weibo": {
      // A Chinese (any non-ASCII) character counts 1; ASCII characters count half, rounded up.
      const ascii = cps.filter((cp) => cp < 0x80).length;
      return cps.length - ascii + Math.ceil(ascii / 2);
    }
  }
}

// The text the platform receives: the variant's text with its hashtags appended (those not
// already in it), as the server composes it (posts_support.cpp, hashtagged).
export function withHashtags(text: string, hashtags: string[]): string {
  let out = text;
  for (const h of hashtags) {
    const tag = h === "" || h.startsWith("#") ? h : `#${h}`;
    if (tag === "" || out.includes(tag)) continue;
    if (out !== "") out += " ";
    out += tag;
  }
  return out;
}
