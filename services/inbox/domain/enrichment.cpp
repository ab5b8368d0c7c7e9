#include "services/inbox/domain/enrichment.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>

namespace herald::inbox {

namespace {

// ---------------------------------------------------------------------------------------------
// Text: the input decoded once, cleaned and folded, so every rule below sees the same thing.

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at s[i] and advances i. A byte that does not start a well-formed
// sequence (stray continuation, truncated sequence, overlong form, surrogate, > U+10FFFF) yields
// kInvalid and advances one byte only, so the next byte gets its own chance.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t n = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    c = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    c = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    c = b0 & 0x07;
    min = 0x10000;
  } else {
    ++i;
    return kInvalid;
  }
  if (i + n > s.size()) {
    ++i;
    return kInvalid;
  }
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += n;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

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

// A few of the most frequent function words per language; only used to tell Latin-script
// languages apart, so they need to be frequent, not exhaustive. Words shared by two languages
// count for both.
constexpr auto kStopwordsEn = std::to_array<std::string_view>(
    {"the", "and", "is", "are", "was", "this", "that", "it", "to", "of", "for", "with", "my", "you", "your", "i",
     "have", "not", "but", "very", "in", "on"});
constexpr auto kStopwordsEs = std::to_array<std::string_view>(
    {"el", "los", "las", "es", "muy", "pero", "que", "por", "con", "una", "del", "está", "gracias", "mi", "y", "lo",
     "para", "como", "bueno"});
constexpr auto kStopwordsPt = std::to_array<std::string_view>(
    {"os", "é", "não", "muito", "uma", "obrigado", "obrigada", "meu", "mas", "da", "em", "que", "bom", "está",
     "para", "você"});
constexpr auto kStopwordsFr = std::to_array<std::string_view>(
    {"le", "les", "est", "et", "je", "pas", "très", "une", "des", "du", "mon", "merci", "avec", "pour", "c'est", "ce",
     "mais", "il", "vous", "bien"});
constexpr auto kStopwordsDe = std::to_array<std::string_view>(
    {"der", "die", "das", "und", "ist", "nicht", "ich", "sehr", "mit", "ein", "eine", "danke", "auf", "für", "aber",
     "es", "zu", "gut"});

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

struct Weighted {
  std::string_view term;
  double weight;
};

// English: whole words, lower case; a phrase is words separated by single spaces. Phrases that
// begin with a negator ("doesn't work", "no problem", "can't wait") are entries of their own, as
// the longest match wins and their meaning is not the negation of the rest.
constexpr auto kEnglishLexicon = std::to_array<Weighted>({
    // positive
    {"love", 3}, {"loved", 3}, {"loves", 3}, {"loving", 2.5}, {"amazing", 3}, {"awesome", 3}, {"excellent", 3},
    {"fantastic", 3}, {"perfect", 3}, {"perfectly", 2.5}, {"wonderful", 3}, {"brilliant", 3}, {"superb", 3},
    {"outstanding", 3}, {"great", 2}, {"good", 2}, {"nice", 2}, {"better", 1.5}, {"best", 3}, {"happy", 2},
    {"glad", 2}, {"pleased", 2}, {"delighted", 3}, {"satisfied", 2}, {"impressed", 2.5}, {"thanks", 1.5},
    {"thank", 1.5}, {"thank you", 2}, {"thx", 1.5}, {"appreciate", 2}, {"appreciated", 2}, {"helpful", 2},
    {"recommend", 2}, {"recommended", 2}, {"enjoy", 2}, {"enjoyed", 2}, {"beautiful", 2}, {"lovely", 2.5},
    {"comfortable", 2}, {"fast", 1}, {"quick", 1}, {"quickly", 1}, {"smooth", 1.5}, {"easy", 1}, {"reliable", 1.5},
    {"worth it", 2}, {"cool", 1.5}, {"fun", 1.5}, {"favorite", 2}, {"favourite", 2}, {"wow", 1.5}, {"solved", 1.5},
    {"well done", 2.5}, {"five stars", 2.5}, {"5 stars", 2.5}, {"no problem", 1}, {"can't wait", 2},
    {"fine", 0.75}, {"ok", 0.5}, {"okay", 0.5},  // lukewarm: neutral on their own
    // negative
    {"bad", -2}, {"terrible", -3}, {"awful", -3}, {"horrible", -3}, {"worst", -3}, {"worse", -2}, {"poor", -2},
    {"hate", -3}, {"hated", -3}, {"broken", -2}, {"broke", -1.5}, {"breaks", -1.5}, {"useless", -2.5},
    {"disappointed", -2.5}, {"disappointing", -2.5}, {"disappoint", -2.5}, {"disappoints", -2.5}, {"angry", -2.5},
    {"annoyed", -2}, {"annoying", -2}, {"frustrated", -2}, {"frustrating", -2}, {"unhappy", -2.5}, {"upset", -2},
    {"sad", -1.5}, {"scam", -3}, {"scammed", -3}, {"fraud", -3}, {"fake", -2}, {"rude", -2.5}, {"slow", -1.5},
    {"late", -1}, {"delayed", -1.5}, {"damaged", -2}, {"defective", -2.5}, {"faulty", -2}, {"garbage", -3},
    {"trash", -2.5}, {"crap", -2.5}, {"sucks", -2.5}, {"refund", -1.5}, {"unacceptable", -3}, {"ridiculous", -2.5},
    {"waste", -2}, {"waste of money", -3}, {"rip off", -3}, {"ripoff", -3}, {"problem", -1}, {"problems", -1},
    {"issue", -1}, {"issues", -1}, {"buggy", -2}, {"crash", -2}, {"crashes", -2}, {"crashing", -2},
    {"crashed", -2}, {"error", -1}, {"fail", -2}, {"failed", -2}, {"fails", -2}, {"wrong", -1.5},
    {"overpriced", -2}, {"expensive", -1}, {"misleading", -2.5}, {"lied", -2.5}, {"dangerous", -2.5},
    {"doesn't work", -2}, {"does not work", -2}, {"don't work", -2}, {"didn't work", -2}, {"not working", -2},
    {"stopped working", -2.5}, {"never again", -2.5}, {"never arrived", -2.5}, {"never received", -2.5},
    {"no response", -2}, {"no reply", -2},
    // neither: phrases that would otherwise read as a negation
    {"not only", 0}, {"no wonder", 0},
});

// Chinese: substrings, Simplified and Traditional forms both listed where they differ. Weight-0
// entries are there to be the longest match and so hide a shorter one inside them: 差不多 is not
// 差, 你好 is not 好, 特别 is not 别 (see kIntensifiers), 快递 is not 快, 麻烦 ("please") is not 烦.
constexpr auto kChineseLexicon = std::to_array<Weighted>({
    // positive
    {"好", 1.5}, {"好评", 2.5}, {"好評", 2.5}, {"喜欢", 2.5}, {"喜歡", 2.5}, {"爱", 2.5}, {"愛", 2.5}, {"棒", 2.5},
    {"感谢", 2}, {"感謝", 2}, {"谢谢", 1.5}, {"謝謝", 1.5}, {"多谢", 1.5}, {"多謝", 1.5}, {"太好了", 3},
    {"满意", 2.5}, {"滿意", 2.5}, {"不错", 2}, {"不錯", 2}, {"赞", 2}, {"讚", 2}, {"贊", 2}, {"推荐", 2},
    {"推薦", 2}, {"好用", 2.5}, {"好吃", 2.5}, {"好喝", 2.5}, {"好看", 2}, {"漂亮", 2}, {"完美", 3}, {"优秀", 2.5},
    {"優秀", 2.5}, {"厉害", 2}, {"厲害", 2}, {"方便", 1.5}, {"开心", 2}, {"開心", 2}, {"高兴", 2}, {"高興", 2},
    {"快乐", 2}, {"快樂", 2}, {"惊喜", 2.5}, {"驚喜", 2.5}, {"给力", 2.5}, {"給力", 2.5}, {"超值", 2.5},
    {"划算", 2}, {"劃算", 2}, {"实惠", 2}, {"實惠", 2}, {"舒服", 2}, {"可爱", 2}, {"可愛", 2}, {"支持", 1.5},
    {"专业", 1.5}, {"專業", 1.5}, {"耐心", 1.5}, {"及时", 1.5}, {"及時", 1.5}, {"贴心", 2}, {"貼心", 2},
    {"靠谱", 2}, {"靠譜", 2}, {"值得", 2}, {"没问题", 1}, {"沒問題", 1}, {"五星", 2}, {"神器", 2.5}, {"回购", 2},
    {"回購", 2}, {"物超所值", 3}, {"无可挑剔", 3}, {"無可挑剔", 3}, {"顺利", 1.5}, {"順利", 1.5}, {"流畅", 2},
    {"流暢", 2}, {"精致", 2}, {"精緻", 2}, {"热情", 2}, {"熱情", 2}, {"周到", 2}, {"满分", 3}, {"滿分", 3},
    {"良心", 2}, {"省心", 2}, {"快", 1},
    // negative
    {"差", -2}, {"差评", -3}, {"差評", -3}, {"差劲", -3}, {"差勁", -3}, {"垃圾", -3}, {"骗子", -3}, {"騙子", -3},
    {"骗", -2.5}, {"騙", -2.5}, {"欺骗", -3}, {"欺騙", -3}, {"忽悠", -2.5}, {"坑", -2}, {"坑人", -3}, {"上当", -3},
    {"上當", -3}, {"黑心", -3}, {"退款", -1.5}, {"退货", -1.5}, {"退貨", -1.5}, {"投诉", -2}, {"投訴", -2},
    {"维权", -2.5}, {"維權", -2.5}, {"失望", -2.5}, {"生气", -2.5}, {"生氣", -2.5}, {"愤怒", -3}, {"憤怒", -3},
    {"气死", -3}, {"氣死", -3}, {"恶心", -3}, {"噁心", -3}, {"惡心", -3}, {"讨厌", -2.5}, {"討厭", -2.5},
    {"烦", -2}, {"煩", -2}, {"无语", -2}, {"無語", -2}, {"后悔", -2.5}, {"後悔", -2.5}, {"伤心", -2},
    {"傷心", -2}, {"难过", -2}, {"難過", -2}, {"烂", -2.5}, {"爛", -2.5}, {"难用", -2.5}, {"難用", -2.5},
    {"难吃", -2.5}, {"難吃", -2.5}, {"难喝", -2.5}, {"難喝", -2.5}, {"难看", -2}, {"難看", -2}, {"坏", -2},
    {"壞", -2}, {"质量问题", -2.5}, {"質量問題", -2.5}, {"问题", -0.5}, {"問題", -0.5}, {"故障", -2},
    {"卡顿", -2}, {"卡頓", -2}, {"闪退", -2.5}, {"閃退", -2.5}, {"死机", -2.5}, {"死機", -2.5}, {"错误", -1.5},
    {"錯誤", -1.5}, {"发错", -2}, {"發錯", -2}, {"慢", -1.5}, {"贵", -1}, {"貴", -1}, {"假货", -3}, {"假貨", -3},
    {"破损", -2.5}, {"破損", -2.5}, {"丢失", -2}, {"丟失", -2}, {"糟糕", -2.5}, {"糟透了", -3}, {"恶劣", -3},
    {"惡劣", -3}, {"崩溃", -2.5}, {"崩潰", -2.5}, {"敷衍", -2.5}, {"不满", -2.5}, {"不滿", -2.5}, {"不行", -2},
    {"不值", -2}, {"别买", -3}, {"別買", -3}, {"没人管", -2.5}, {"沒人管", -2.5}, {"没人理", -2.5},
    {"沒人理", -2.5}, {"不理", -2}, {"失败", -2}, {"失敗", -2}, {"霸王条款", -3}, {"霸王條款", -3},
    // neither (問題 is "question" as often as "problem", hence its low weight above)
    {"差不多", 0}, {"出差", 0}, {"差点", 0}, {"差點", 0}, {"时差", 0}, {"時差", 0}, {"你好", 0}, {"您好", 0},
    {"好的", 0}, {"好像", 0}, {"好几", 0}, {"好幾", 0}, {"好多", 0}, {"好久", 0}, {"好友", 0}, {"好奇", 0},
    {"好不好", 0}, {"好不容易", 0}, {"只好", 0}, {"正好", 0}, {"刚好", 0}, {"剛好", 0}, {"还好", 0}, {"還好", 0},
    {"爱好", 0}, {"愛好", 0}, {"不好意思", 0}, {"慢慢", 0}, {"贵公司", 0}, {"貴公司", 0}, {"宝贵", 0}, {"寶貴", 0},
    {"贵宾", 0}, {"貴賓", 0}, {"别人", 0}, {"別人", 0}, {"区别", 0}, {"區別", 0}, {"分别", 0}, {"分別", 0},
    {"别的", 0}, {"別的", 0}, {"级别", 0}, {"級別", 0}, {"不少", 0}, {"不管", 0}, {"不仅", 0}, {"不僅", 0},
    {"不然", 0}, {"没事", 0}, {"沒事", 0}, {"棒球", 0}, {"快递", 0}, {"快遞", 0}, {"快点", 0}, {"快點", 0},
    {"快要", 0}, {"赶快", 0}, {"趕快", 0}, {"尽快", 0}, {"盡快", 0}, {"麻烦", 0}, {"麻煩", 0},
});

struct EmojiWeight {
  char32_t emoji;
  double weight;
};

constexpr auto kEmojiLexicon = std::to_array<EmojiWeight>({
    {U'😡', -2.5}, {U'🤬', -3}, {U'👎', -2}, {U'😠', -2}, {U'😤', -1.5}, {U'😞', -1.5}, {U'😢', -1.5}, {U'😭', -1.5},
    {U'💩', -2}, {U'🙄', -1}, {U'😒', -1}, {U'🤮', -2.5}, {U'💔', -2}, {U'😩', -1.5}, {U'😫', -1.5},
    {U'😍', 2.5}, {U'🥰', 2.5}, {U'👍', 2}, {U'❤', 2.5}, {U'♥', 2}, {U'💕', 2}, {U'💖', 2}, {U'😊', 1.5},
    {U'😀', 1}, {U'😁', 1.5}, {U'😃', 1.5}, {U'😄', 1.5}, {U'🤩', 2.5}, {U'👏', 1.5}, {U'💯', 2}, {U'🙏', 1},
    {U'🎉', 1.5}, {U'😘', 2}, {U'⭐', 1}, {U'🌟', 1.5}, {U'👌', 1.5}, {U'🥳', 2},
});

// Flip the next sentiment word. Any English word ending in n't is one too (see is_negator).
constexpr auto kNegators = std::to_array<std::string_view>({
    "not", "no", "never", "don't", "dont", "cannot", "nor", "without", "neither", "hardly",
    "不", "没", "沒", "没有", "沒有", "别", "別", "不是", "并不", "並不", "从不", "從不", "未", "毫无", "毫無",
});

constexpr auto kIntensifiers = std::to_array<std::string_view>({
    "very", "so", "really", "extremely", "super", "too", "absolutely", "totally", "incredibly", "truly",
    "completely", "highly", "most", "pretty",
    "非常", "太", "很", "特别", "特別", "超级", "超級", "超", "十分", "极其", "極其", "真的", "最", "相当", "相當", "巨",
});

// "X but Y": Y is what the writer means, so what came before counts half and what follows
// half again as much (VADER does the same).
constexpr auto kContrasts = std::to_array<std::string_view>({
    "but", "however", "但是", "可是", "不过", "不過", "但", "然而",
});

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

constexpr auto kSpamPhrases = std::to_array<std::string_view>({
    "follow me", "follow back", "follow for follow", "f4f", "sub4sub", "check my profile", "check out my page",
    "check my bio", "link in bio", "link in my bio", "click here", "click the link", "free money", "make money",
    "earn money", "work from home", "dm me for", "whatsapp me", "telegram me", "investment opportunity",
    "100% free", "vx",
    "加微信", "加我微信", "加v", "加vx", "代购", "代購", "兼职", "兼職", "刷单", "刷單", "日赚", "日賺", "月入",
    "加群", "进群", "進群", "招代理", "点击链接", "點擊鏈接", "點擊連結", "免费领", "免費領", "互粉", "互关", "互關",
    "关注我", "關注我", "私信我", "扫码", "掃碼", "低价出", "低價出", "高仿",
});

// A link alone is not spam (customers link their screenshots); a link with one of these is.
constexpr auto kLinkMarkers = std::to_array<std::string_view>({
    "http://", "https://", "www.", "bit.ly", "t.cn/", "t.me/", "tinyurl", ".com/", ".cn/",
});
constexpr auto kPromoWords = std::to_array<std::string_view>({
    "free", "discount", "promo", "offer", "win", "winner", "prize", "giveaway", "earn", "cash", "crypto", "bitcoin",
    "deal", "deals", "coupon", "sale", "cheap", "limited", "bonus", "gift",
    "优惠", "優惠", "免费", "免費", "领取", "領取", "中奖", "中獎", "红包", "紅包", "折扣", "赚", "賺", "福利", "特价",
    "特價", "抽奖", "抽獎", "秒杀", "秒殺", "返利", "礼品", "禮品",
});

constexpr auto kComplaintWords = std::to_array<std::string_view>({
    "refund", "refunds", "broken", "broke", "scam", "scammed", "worst", "defective", "damaged", "faulty", "fraud",
    "rip off", "ripoff", "not working", "doesn't work", "does not work", "stopped working", "never arrived",
    "never received", "not received", "wrong item", "wrong size", "wrong order", "complaint", "complain",
    "money back", "chargeback", "unacceptable", "still waiting", "no response", "no reply", "lawyer",
    "consumer protection",
    "退款", "退货", "退貨", "投诉", "投訴", "坏了", "壞了", "质量问题", "質量問題", "品质问题", "品質問題", "差评",
    "差評", "骗子", "騙子", "假货", "假貨", "维权", "維權", "赔偿", "賠償", "没收到", "沒收到", "发错", "發錯",
    "破损", "破損", "故障", "闪退", "閃退", "12315", "消协", "消協", "不退", "欺骗", "欺騙", "上当", "上當",
});

// "which", "why", "what" and 什么 are left out: they start statements as often as questions
// ("that's why I love it", 没什么问题), and a real question mostly carries a question mark.
constexpr auto kInquiryWords = std::to_array<std::string_view>({
    "?", "how", "when", "where", "what time", "what is", "what's", "can i", "can you", "could i", "could you",
    "do you", "does", "is there", "are there", "any update", "anyone know",
    "请问", "請問", "怎么", "怎麼", "吗", "嗎", "多少钱", "多少錢", "什么时候", "什麼時候", "是什么", "是什麼",
    "为什么", "為什麼", "哪里", "哪裡", "哪裏", "如何", "能不能", "有没有", "有沒有", "几点", "幾點",
});

constexpr auto kSuggestionWords = std::to_array<std::string_view>({
    "should", "would be nice", "would be great", "would love", "please add", "please consider", "please bring",
    "i wish", "wish you", "hope you", "i hope", "suggest", "suggestion", "feature request", "it would be",
    "could add", "why not add",
    "建议", "建議", "希望", "要是能", "如果能", "最好能", "能否增加", "改进", "改進", "增加一个", "增加一個", "加个", "加個",
});

// For a message whose sentiment came out neutral, e.g. "谢谢，不过有点慢".
constexpr auto kPraiseWords = std::to_array<std::string_view>({
    "thank", "thanks", "thx", "love", "great", "awesome", "amazing", "excellent", "well done", "kudos", "good job",
    "好评", "好評", "点赞", "點讚", "點贊", "感谢", "感謝", "谢谢", "謝謝", "赞", "讚", "棒", "给力", "給力",
    "👍", "❤", "😍",
});

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
