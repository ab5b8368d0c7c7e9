#include "services/crisis/listening/matcher.hpp"

#include <hs/hs.h>
#include <opencc/opencc.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "services/core/util/utf8.hpp"

namespace herald::crisis::listening {

namespace {

constexpr char32_t kBmp = 0x10000;

void append_utf8(std::string& out, char32_t c) { core::utf8::append(out, c); }

// Decodes one code point at `i` (advancing it); an invalid byte is returned as itself, marked.
char32_t next_code_point(const std::string& s, std::size_t& i) {
  auto start = i;
  if (auto c = core::utf8::next(s, i)) return *c;
  return static_cast<unsigned char>(s[start]) | 0x80000000u;  // marks a raw byte
}

std::vector<char32_t> decode(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) out.push_back(next_code_point(s, i));
  return out;
}

// OpenCC's Traditional -> Simplified mapping of every single CJK character, once per process.
const std::vector<char32_t>& t2s_table() {
  static const std::vector<char32_t> table = [] {
    std::vector<char32_t> map(kBmp, 0);
    opencc::SimpleConverter t2s("t2s.json");
    // One conversion of every character, one per line (a phrase never spans a line break):
    // a call per character would take a minute.
    std::vector<char32_t> chars;
    for (auto [from, to] : {std::pair<char32_t, char32_t>{0x3400, 0x4DBF},    // CJK extension A
                            std::pair<char32_t, char32_t>{0x4E00, 0x9FFF},    // CJK unified ideographs
                            std::pair<char32_t, char32_t>{0xF900, 0xFAFF}}) {  // compatibility ideographs
      for (char32_t c = from; c <= to; ++c) chars.push_back(c);
    }
    std::string all;
    for (auto c : chars) {
      append_utf8(all, c);
      all += '\n';
    }
    const std::string converted = t2s.Convert(all);
    std::size_t line = 0, start = 0;
    for (std::size_t i = 0; i <= converted.size() && line < chars.size(); ++i) {
      if (i < converted.size() && converted[i] != '\n') continue;
      auto folded = decode(converted.substr(start, i - start));
      const char32_t c = chars[line++];
      if (folded.size() == 1 && folded[0] != c && folded[0] < kBmp) map[c] = folded[0];
      start = i + 1;
    }
    if (line != chars.size()) throw std::runtime_error("OpenCC t2s: unexpected output");
    return map;
  }();
  return table;
}

std::string hex_escape(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", b);
  return buf;
}

// One code point as a Hyperscan literal.
std::string literal(char32_t c) {
  std::string utf8;
  append_utf8(utf8, c);
  if (c < 0x80 && !std::isalnum(static_cast<unsigned char>(c))) return hex_escape(static_cast<unsigned char>(c));
  return utf8;
}

// What may stand between the characters of a fuzzy keyword (after folding): ASCII blanks and
// punctuation, CJK punctuation and zero-width joiners. A short explicit class: Unicode property
// classes (\p{P}) make Hyperscan compile for seconds per rule.
constexpr const char* kSeparators =
    "[\\s!-/:-@\\[-`{-~\u3002\uFF0C\u3001\uFF1B\uFF1A\uFF1F\uFF01\u2026\u2014\u00B7\u300C\u300D\u300E\u300F"
    "\uFF08\uFF09\u300A\u300B\u3010\u3011\uFF5E\\x{200B}-\\x{200D}\\x{FE0F}]{0,3}";

}  // namespace

Folder::Folder() : map_(t2s_table()) {
  for (char32_t c = 'A'; c <= 'Z'; ++c) map_[c] = c + 32;
  for (char32_t c = 0xFF01; c <= 0xFF5E; ++c) {  // full-width ASCII
    char32_t ascii = c - 0xFEE0;
    map_[c] = (ascii >= 'A' && ascii <= 'Z') ? ascii + 32 : ascii;
  }
  map_[0x3000] = ' ';  // ideographic space
}

std::string Folder::fold(const std::string& utf8) const {
  std::string out;
  fold_into(utf8, out);
  return out;
}

void Folder::fold_into(const std::string& utf8, std::string& out) const {
  out.clear();
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = next_code_point(utf8, i);
    if (c & 0x80000000u) {
      out += static_cast<char>(c & 0xFF);
      continue;
    }
    if (c < kBmp && map_[c] != 0) c = map_[c];
    append_utf8(out, c);
  }
}

std::optional<std::string> keyword_chars(const Folder& folder, const std::string& keyword, bool fuzzy,
                                         std::vector<char32_t>& chars) {
  chars = decode(folder.fold(keyword));
  auto blank = [](char32_t c) { return c == ' ' || c == '\t'; };
  if (fuzzy) {
    chars.erase(std::remove_if(chars.begin(), chars.end(), blank), chars.end());  // separators anyway
  } else {
    while (!chars.empty() && blank(chars.back())) chars.pop_back();
    chars.erase(chars.begin(), std::find_if_not(chars.begin(), chars.end(), blank));
  }
  if (chars.empty()) return "the keyword is empty";
  for (auto c : chars) {
    if (c & 0x80000000u) return "the keyword is not valid UTF-8";
  }
  return std::nullopt;
}

struct Matcher::Db {
  hs_database_t* db = nullptr;
  hs_scratch_t* prototype = nullptr;
  mutable std::mutex mutex;
  mutable std::vector<hs_scratch_t*> free;
  ~Db() {
    for (auto* s : free) hs_free_scratch(s);
    if (prototype != nullptr) hs_free_scratch(prototype);
    if (db != nullptr) hs_free_database(db);
  }
  hs_scratch_t* take() const {
    {
      std::lock_guard lock(mutex);
      if (!free.empty()) {
        auto* s = free.back();
        free.pop_back();
        return s;
      }
    }
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(prototype, &s) != HS_SUCCESS) throw std::runtime_error("hyperscan: cannot allocate scratch");
    return s;
  }
  void give(hs_scratch_t* s) const {
    std::lock_guard lock(mutex);
    free.push_back(s);
  }
};

Matcher::Matcher(const std::vector<KeywordRule>& rules, const std::vector<std::string>& brand_names)
    : rules_(rules), db_(std::make_unique<Db>()) {
  std::vector<std::string> patterns;
  std::vector<unsigned> flags;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const auto& rule = rules_[r];
    std::vector<std::string> keywords;
    if (rule.keyword.find("[brand]") != std::string::npos) {
      for (const auto& name : brand_names) {
        std::string k = rule.keyword;
        for (auto at = k.find("[brand]"); at != std::string::npos; at = k.find("[brand]", at + name.size())) {
          k.replace(at, 7, name);
        }
        keywords.push_back(std::move(k));
      }
    } else {
      keywords.push_back(rule.keyword);
    }
    for (const auto& k : keywords) {
      std::vector<char32_t> chars;
      if (auto why = keyword_chars(folder_, k, rule.fuzzy, chars)) {
        throw std::invalid_argument("rule " + std::to_string(rule.id) + ": " + *why);
      }
      std::string pattern;
      for (std::size_t i = 0; i < chars.size(); ++i) {
        if (i > 0 && rule.fuzzy) pattern += kSeparators;
        pattern += literal(chars[i]);
      }
      patterns.push_back(std::move(pattern));
      flags.push_back(HS_FLAG_SINGLEMATCH | HS_FLAG_UTF8);
      pattern_rule_.push_back(r);
    }
  }
  if (patterns.empty()) return;  // nothing to match: scan() finds nothing
  std::vector<const char*> exprs;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    exprs.push_back(patterns[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                       nullptr, &db_->db, &err) != HS_SUCCESS) {
    std::string what = err != nullptr && err->message != nullptr ? err->message : "unknown error";
    int at = err != nullptr ? err->expression : -1;
    hs_free_compile_error(err);
    std::string rule = at >= 0 ? std::to_string(rules_[pattern_rule_[static_cast<std::size_t>(at)]].id) : "?";
    throw std::invalid_argument("rule " + rule + ": cannot compile: " + what);
  }
  if (hs_alloc_scratch(db_->db, &db_->prototype) != HS_SUCCESS) throw std::runtime_error("hyperscan: no scratch");
}

Matcher::~Matcher() = default;

ScanResult Matcher::scan(const std::string& utf8, const std::string& region) const {
  ScanResult out;
  if (db_->db == nullptr) return out;
  thread_local std::string text;  // folded; reused, so a scan does not allocate for it
  folder_.fold_into(utf8, text);
  struct Context {
    const Matcher* self;
    std::vector<std::size_t> hits;  // rule indexes, may repeat (templates)
  } ctx{this, {}};
  auto* scratch = db_->take();
  auto rc = hs_scan(db_->db, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
                    [](unsigned id, unsigned long long, unsigned long long, unsigned, void* p) -> int {
                      auto* c = static_cast<Context*>(p);
                      c->hits.push_back(c->self->pattern_rule_[id]);
                      return 0;
                    },
                    &ctx);
  db_->give(scratch);
  if (rc != HS_SUCCESS) throw std::runtime_error("hyperscan: scan failed (" + std::to_string(rc) + ")");
  std::sort(ctx.hits.begin(), ctx.hits.end());
  ctx.hits.erase(std::unique(ctx.hits.begin(), ctx.hits.end()), ctx.hits.end());
  for (auto r : ctx.hits) {
    const auto& rule = rules_[r];
    if (!rule.region.empty() && !region.empty() && rule.region != region) continue;
    out.matches.push_back({rule.id, rule.weight});
    out.weight += rule.weight;
  }
  return out;
}

}  // namespace herald::crisis::listening
