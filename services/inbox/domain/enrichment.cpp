#include "services/inbox/domain/enrichment.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>

#include "services/core/util/utf8.hpp"
#include "services/inbox/domain/lexicon.hpp"

namespace herald::inbox {

namespace {

using namespace lexicon;  // NOLINT: the word lists, read by every rule below

// ---------------------------------------------------------------------------------------------
// Text: the input decoded once, cleaned and folded, so every rule below sees the same thing.

constexpr char32_t kInvalid = 0xFFFFFFFF;

// The code point at s[i] (advancing i), or kInvalid for a byte that starts no well-formed one.
char32_t next_code_point(std::string_view s, std::size_t& i) { return core::utf8::next(s, i).value_or(kInvalid); }

void append_utf8(std::string& out, char32_t c) { core::utf8::append(out, c); }

// Invisible characters that only decorate: variation selectors (❤️ is ❤ + U+FE0F), the
// zero-width joiner and space (also used to split keywords like 加\u200b微信 past filters) and
// skin-tone modifiers. Dropping them lets one table entry match every variant.
bool is_ignorable(char32_t c) {
  return c == 0xFE0E || c == 0xFE0F || c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF ||
         (c >= 0x1F3FB && c <= 0x1F3FF);
}

// Full-width ASCII (ＡＰＰ, ？) to ASCII, curly apostrophes to ', and lower case for ASCII and
// Latin-1 letters: the tables are written once, in lower-case half-width form.
char32_t fold(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
  if (c == 0x3000) c = ' ';
  if (c == 0x2018 || c == 0x2019) c = '\'';
  if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) c += 0x20;
  return c;
}

struct Text {
  std::string norm;                  // valid UTF-8, folded
  std::vector<char32_t> cps;         // the code points of norm
  std::vector<std::size_t> offsets;  // byte offset of each code point in norm, then norm.size()
};

Text normalize(std::string_view raw) {
  Text t;
  t.norm.reserve(raw.size());
  t.cps.reserve(raw.size());
  t.offsets.reserve(raw.size() + 1);
  for (std::size_t i = 0; i < raw.size();) {
    const char32_t c = next_code_point(raw, i);
    if (c == kInvalid || is_ignorable(c)) continue;
    t.offsets.push_back(t.norm.size());
    t.cps.push_back(fold(c));
    append_utf8(t.norm, t.cps.back());
  }
  t.offsets.push_back(t.norm.size());
  return t;
}

// ---------------------------------------------------------------------------------------------
// Scripts and units.

enum class Script { kNone, kLatin, kCyrillic, kArabic, kThai, kHan, kKana, kHangul };

Script script_of(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return Script::kLatin;
  if ((c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF)) return Script::kLatin;
  if (c >= 0x400 && c <= 0x52F) return Script::kCyrillic;
  // Arabic letters and marks, without the Arabic digits, comma and full stop.
  if ((c >= 0x620 && c <= 0x6FF && !(c >= 0x660 && c <= 0x66D) && !(c >= 0x6F0 && c <= 0x6F9) && c != 0x6D4) ||
      (c >= 0x750 && c <= 0x77F) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFC)) {
    return Script::kArabic;
  }
  if ((c >= 0xE01 && c <= 0xE3A) || (c >= 0xE40 && c <= 0xE4E)) return Script::kThai;
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x20000 && c <= 0x2FA1F) || c == 0x3005) {
    return Script::kHan;
  }
  if ((c >= 0x3041 && c <= 0x309F) || (c >= 0x30A1 && c <= 0x30FF && c != 0x30FB) || (c >= 0x31F0 && c <= 0x31FF) ||
      (c >= 0xFF66 && c <= 0xFF9D)) {
    return Script::kKana;
  }
  if ((c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3131 && c <= 0x318E)) {
    return Script::kHangul;
  }
  return Script::kNone;
}

// Characters that make up space-separated words; Han and kana are not among them, since Chinese
// and Japanese are written without spaces and are matched character by character.
bool is_word_char(char32_t c) {
  if (c >= '0' && c <= '9') return true;
  if (c >= 0x300 && c <= 0x36F) return true;  // combining accents of decomposed Latin letters
  const Script s = script_of(c);
  return s != Script::kNone && s != Script::kHan && s != Script::kKana;
}

bool is_emoji(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF);
}

// Clause boundaries: a negation or an intensifier does not reach past one.
bool is_break(char32_t c) {
  switch (c) {
    case '.': case ',': case '!': case '?': case ';': case ':': case '\n': case '\r':
    case 0x3001: case 0x3002: case 0x2026:  // 、 。 …
      return true;
    default:
      return false;
  }
}

enum class UnitKind { kWord, kHan, kEmoji, kBreak };

// A word, one Han or kana character, one emoji or one clause boundary; spaces and other symbols
// are not units. The range is in bytes of Text::norm.
struct Unit {
  UnitKind kind;
  std::size_t begin;
  std::size_t end;
  char32_t first;
};

std::vector<Unit> tokenize(const Text& t) {
  std::vector<Unit> units;
  const std::size_t n = t.cps.size();
  for (std::size_t i = 0; i < n;) {
    const char32_t c = t.cps[i];
    if (is_word_char(c)) {
      std::size_t j = i + 1;
      // An apostrophe between letters stays inside the word: don't, it's.
      while (j < n && (is_word_char(t.cps[j]) || (t.cps[j] == '\'' && j + 1 < n && is_word_char(t.cps[j + 1])))) ++j;
      units.push_back({UnitKind::kWord, t.offsets[i], t.offsets[j], c});
      i = j;
      continue;
    }
    const Script s = script_of(c);
    if (s == Script::kHan || s == Script::kKana) {
      units.push_back({UnitKind::kHan, t.offsets[i], t.offsets[i + 1], c});
    } else if (is_emoji(c)) {
      units.push_back({UnitKind::kEmoji, t.offsets[i], t.offsets[i + 1], c});
    } else if (is_break(c)) {
      units.push_back({UnitKind::kBreak, t.offsets[i], t.offsets[i + 1], c});
    }
    ++i;
  }
  return units;
}

std::string_view text_of(const Text& t, const Unit& u) {
  return std::string_view(t.norm).substr(u.begin, u.end - u.begin);
}

// ---------------------------------------------------------------------------------------------
// Language.

bool contains(std::span<const std::string_view> words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// Latin script defaults to English; another language needs at least two of its stopwords and
// more than English has, so an English sentence with one "y" or "die" in it stays English.
std::string latin_language(const Text& t, const std::vector<Unit>& units) {
  struct Candidate {
    std::string_view code;
    std::span<const std::string_view> words;
    int hits = 0;
  };
  std::array<Candidate, 4> others{
      {{"es", kStopwordsEs}, {"pt", kStopwordsPt}, {"fr", kStopwordsFr}, {"de", kStopwordsDe}}};
  int en = 0;
  for (const Unit& u : units) {
    if (u.kind != UnitKind::kWord) continue;
    const std::string_view w = text_of(t, u);
    en += contains(kStopwordsEn, w);
    for (Candidate& c : others) c.hits += contains(c.words, w);
  }
  const Candidate* best = nullptr;
  for (const Candidate& c : others) {
    if (c.hits >= 2 && c.hits > en && (best == nullptr || c.hits > best->hits)) best = &c;
  }
  return std::string(best != nullptr ? best->code : "en");
}

std::string detect_language(const Text& t, const std::vector<Unit>& units) {
  // Weights comparable across scripts: alphabetic scripts count words (runs of letters), Han,
  // kana and Hangul count characters, Thai (no spaces) a word per three letters. So the brand
  // name in "iPhone质量太差了" does not outvote five Chinese characters.
  int latin = 0, cyrillic = 0, arabic = 0, thai_letters = 0, han = 0, kana = 0, hangul = 0;
  int kana_besides_no = 0;
  Script prev = Script::kNone;
  for (const char32_t c : t.cps) {
    const Script s = script_of(c);
    switch (s) {
      case Script::kLatin: latin += prev != s; break;
      case Script::kCyrillic: cyrillic += prev != s; break;
      case Script::kArabic: arabic += prev != s; break;
      case Script::kThai: ++thai_letters; break;
      case Script::kHan: ++han; break;
      case Script::kKana:
        ++kana;
        kana_besides_no += c != U'の';  // Chinese posts borrow の for 的; alone it is not Japanese
        break;
      case Script::kHangul: ++hangul; break;
      case Script::kNone: break;
    }
    prev = s;
  }
  const int thai = (thai_letters + 2) / 3;
  // Ties go to the earlier entry: CJK first, as most of the inbox is Chinese.
  const std::array<std::pair<int, std::string_view>, 6> scores{
      {{han + kana, "zh"}, {hangul, "ko"}, {cyrillic, "ru"}, {arabic, "ar"}, {thai, "th"}, {latin, "en"}}};
  const auto* best = &scores[0];
  for (const auto& s : scores) {
    if (s.first > best->first) best = &s;
  }
  if (best->first == 0) return "und";
  if (best->second == "zh") return kana_besides_no > 0 ? "ja" : "zh";
  if (best->second == "en") return latin_language(t, units);
  return std::string(best->second);
}

// ---------------------------------------------------------------------------------------------
// Sentiment.

// The word lists (Weighted, kEnglishLexicon, ...) are in lexicon.hpp.

constexpr double kNegationFactor = -0.75;  // "not good" is less bad than "bad"; VADER uses -0.74
constexpr int kNegationWindow = 3;         // units a negator reaches: up to two words in between
constexpr double kBoost = 1.5;
constexpr double kMaxBoost = kBoost * kBoost;
constexpr int kBoostWindow = 2;
constexpr double kBeforeContrast = 0.5;
constexpr double kAfterContrast = 1.5;
// Normalisation sum / sqrt(sum^2 + alpha), as in VADER: one clear word scores about +-0.4-0.6,
// several approach +-1, and a lone lukewarm word (weight < 0.8) stays under the neutral band.
constexpr double kAlpha = 15;
constexpr double kNeutralBand = 0.2;

std::size_t code_point_count(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char b) {
    return (static_cast<unsigned char>(b) & 0xC0) != 0x80;
  }));
}

// How many units `term` covers from units[i] on, 0 when it does not match there.
std::size_t match_at(const Text& t, const std::vector<Unit>& units, std::size_t i, std::string_view term) {
  if (static_cast<unsigned char>(term.front()) < 0x80) {  // English: word by word
    std::size_t k = i;
    for (std::size_t pos = 0;; ++k) {
      const std::size_t space = term.find(' ', pos);
      const std::string_view word = term.substr(pos, space == std::string_view::npos ? space : space - pos);
      if (k >= units.size() || units[k].kind != UnitKind::kWord || text_of(t, units[k]) != word) return 0;
      if (space == std::string_view::npos) return k - i + 1;
      pos = space + 1;
    }
  }
  // Chinese: the term is Han characters only, so bytes that match are consecutive Han units.
  if (units[i].kind != UnitKind::kHan || t.norm.compare(units[i].begin, term.size(), term) != 0) return 0;
  return code_point_count(term);
}

enum class Role { kNone, kSentiment, kNegator, kIntensifier, kContrast };

struct Hit {
  std::size_t length = 0;
  Role role = Role::kNone;
  double weight = 0;
  std::string_view term;
};

// The longest entry of any table that starts at units[i]: 不错 over 不, "no problem" over "no".
Hit longest_hit(const Text& t, const std::vector<Unit>& units, std::size_t i) {
  const Unit& u = units[i];
  if (u.kind == UnitKind::kEmoji) {
    for (const auto& [emoji, weight] : kEmojiLexicon) {
      if (emoji == u.first) return {1, Role::kSentiment, weight, {}};
    }
    return {};
  }
  Hit best;
  auto consider = [&](std::string_view term, Role role, double weight) {
    if (const std::size_t n = match_at(t, units, i, term); n > best.length) best = {n, role, weight, term};
  };
  for (const auto& [term, weight] : u.kind == UnitKind::kWord ? std::span<const Weighted>(kEnglishLexicon)
                                                               : std::span<const Weighted>(kChineseLexicon)) {
    consider(term, weight != 0 ? Role::kSentiment : Role::kNone, weight);
  }
  for (std::string_view term : kNegators) consider(term, Role::kNegator, 0);
  for (std::string_view term : kIntensifiers) consider(term, Role::kIntensifier, 0);
  for (std::string_view term : kContrasts) consider(term, Role::kContrast, 0);
  if (best.length == 0 && u.kind == UnitKind::kWord && text_of(t, u).ends_with("n't")) {
    best = {1, Role::kNegator, 0, {}};  // isn't, wasn't, won't, can't, couldn't, ...
  }
  return best;
}

double sentiment_score(const Text& t, const std::vector<Unit>& units) {
  double sum = 0;
  double clause = 1;  // kAfterContrast once a "but" has been seen
  double boost = 1;
  int negation_left = 0;
  int boost_left = 0;
  auto reset = [&] {
    negation_left = boost_left = 0;
    boost = 1;
  };
  for (std::size_t i = 0; i < units.size();) {
    if (units[i].kind == UnitKind::kBreak) {
      reset();
      ++i;
      continue;
    }
    Hit hit = longest_hit(t, units, i);
    i += std::max<std::size_t>(hit.length, 1);
    // 好 right before another sentiment word means "so": 好烦, 好贵, 好喜欢.
    if (hit.term == "好" && i < units.size() && longest_hit(t, units, i).role == Role::kSentiment) {
      hit.role = Role::kIntensifier;
    }
    switch (hit.role) {
      case Role::kNegator:
        negation_left = kNegationWindow;
        break;
      case Role::kIntensifier:
        boost = std::min(boost * kBoost, kMaxBoost);
        boost_left = kBoostWindow;
        break;
      case Role::kContrast:
        sum *= kBeforeContrast;
        clause = kAfterContrast;
        reset();
        break;
      case Role::kSentiment:
        sum += hit.weight * boost * clause * (negation_left > 0 ? kNegationFactor : 1);
        reset();
        break;
      case Role::kNone:  // an ordinary word: the pending modifiers reach one unit less far
        if (negation_left > 0) --negation_left;
        if (boost_left > 0 && --boost_left == 0) boost = 1;
        break;
    }
  }
  return sum / std::sqrt(sum * sum + kAlpha);
}

Sentiment sentiment_of(double score) {
  if (score <= -kNeutralBand) return Sentiment::kNegative;
  if (score >= kNeutralBand) return Sentiment::kPositive;
  return Sentiment::kNeutral;
}

// ---------------------------------------------------------------------------------------------
// Category. Keyword rules on the folded text: English terms on word boundaries, Chinese ones
// anywhere.

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// `term` occurs in `norm`; where it begins or ends with an ASCII letter or digit, the byte next
// to it must not be one, so "scam" does not match "scampi" nor "how" "however".
bool contains_term(std::string_view norm, std::string_view term) {
  const bool word_start = is_ascii_alnum(term.front());
  const bool word_end = is_ascii_alnum(term.back());
  for (std::size_t pos = norm.find(term); pos != std::string_view::npos; pos = norm.find(term, pos + 1)) {
    const std::size_t after = pos + term.size();
    if (word_start && pos > 0 && is_ascii_alnum(norm[pos - 1])) continue;
    if (word_end && after < norm.size() && is_ascii_alnum(norm[after])) continue;
    return true;
  }
  return false;
}

bool contains_any(std::string_view norm, std::span<const std::string_view> terms) {
  return std::any_of(terms.begin(), terms.end(), [&](std::string_view term) { return contains_term(norm, term); });
}

constexpr std::size_t kSpamRun = 10;

// Ten or more of the same letter, digit or Han character in a row ("1111111111", "顶顶顶顶...").
// Punctuation and emoji are left out, as an angry customer types "!!!!!!!!!!" or 😡😡😡 too, and
// so is Chinese laughter (哈哈哈哈...).
bool has_repeated_run(const Text& t) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < t.cps.size(); ++i) {
    const char32_t c = t.cps[i];
    run = i > 0 && t.cps[i - 1] == c ? run + 1 : 1;
    const Script s = script_of(c);
    const bool counted = is_word_char(c) || s == Script::kHan || s == Script::kKana;
    const bool laughter = c == U'哈' || c == U'呵' || c == U'嘿' || c == U'嘻' || c == U'啊';
    if (run >= kSpamRun && counted && !laughter) return true;
  }
  return false;
}

bool is_spam(const Text& t) {
  return contains_any(t.norm, kSpamPhrases) || has_repeated_run(t) ||
         (contains_any(t.norm, kLinkMarkers) && contains_any(t.norm, kPromoWords));
}

Category categorize(const Text& t, Sentiment sentiment) {
  if (is_spam(t)) return Category::kSpam;
  // Negative is a complaint; a complaint word is one unless the whole message is positive
  // ("thanks for the quick refund").
  if (sentiment == Sentiment::kNegative ||
      (sentiment != Sentiment::kPositive && contains_any(t.norm, kComplaintWords))) {
    return Category::kComplaint;
  }
  if (contains_any(t.norm, kInquiryWords)) return Category::kInquiry;
  if (contains_any(t.norm, kSuggestionWords)) return Category::kSuggestion;
  if (sentiment == Sentiment::kPositive || contains_any(t.norm, kPraiseWords)) return Category::kPraise;
  return Category::kOther;
}

// ---------------------------------------------------------------------------------------------
// Priority.

constexpr int kBase = 20;
constexpr int kCrisis = 50;
constexpr int kNegative = 20;
constexpr int kComplaint = 10;
constexpr int kInquiry = 5;
constexpr int kVerified = 10;
constexpr int kVip = 15;
constexpr int kDirectMessage = 5;
constexpr int kPerHourWaiting = 2;
constexpr int kMaxWaiting = 20;
constexpr int kSpamCeiling = 5;

}  // namespace

std::string_view to_string(Sentiment s) {
  switch (s) {
    case Sentiment::kNegative: return "negative";
    case Sentiment::kNeutral: return "neutral";
    case Sentiment::kPositive: return "positive";
  }
  return "neutral";
}

std::string_view to_string(Category c) {
  switch (c) {
    case Category::kInquiry: return "inquiry";
    case Category::kSuggestion: return "suggestion";
    case Category::kComplaint: return "complaint";
    case Category::kPraise: return "praise";
    case Category::kSpam: return "spam";
    case Category::kOther: return "other";
  }
  return "other";
}

Enrichment enrich(std::string_view text) {
  const Text t = normalize(text);
  const std::vector<Unit> units = tokenize(t);
  Enrichment e;
  e.language = detect_language(t, units);
  e.sentiment_score = sentiment_score(t, units);
  e.sentiment = sentiment_of(e.sentiment_score);
  e.category = categorize(t, e.sentiment);
  return e;
}

int priority(const PriorityInput& in) {
  int p = kBase;
  if (in.crisis_tagged) p += kCrisis;
  if (in.sentiment == Sentiment::kNegative) p += kNegative;
  if (in.category == Category::kComplaint) p += kComplaint;
  if (in.category == Category::kInquiry) p += kInquiry;
  if (in.author_verified) p += kVerified;
  if (in.author_vip) p += kVip;
  if (in.direct_message) p += kDirectMessage;
  const std::int64_t hours = std::max<std::int64_t>(in.waiting_s, 0) / 3600;  // a clock skew never lowers it
  p += static_cast<int>(std::min<std::int64_t>(hours * kPerHourWaiting, kMaxWaiting));
  // Spam goes last, except when a crisis rule also caught it: that rule is a person's decision,
  // and burying a real crisis under a keyword guess costs more than reading one spam item.
  if (in.category == Category::kSpam && !in.crisis_tagged) p = std::min(p, kSpamCeiling);
  return std::clamp(p, 0, 100);
}

}  // namespace herald::inbox
