#pragma once
// Listening's keyword matching (issue F4, item 3): every inbound item (comment, mention, DM,
// post) is checked against the organization's keyword rules and sensitive-word library at once.
//
// Text is folded first, rules and items alike: Traditional Chinese characters to Simplified
// (OpenCC's character table, t2s), full-width ASCII to half-width, ASCII to lower case; so a rule
// "当机" meets "當機", and "app" meets "APP" and "ＡＰＰ". A rule is
//   exact: the folded keyword as a literal;
//   fuzzy: the same characters with up to three separators between them (spaces, punctuation,
//          symbols, emoji joiners), the usual way of writing around a filter ("故 障", "故*障");
// with a weight, an optional region (an item from another region does not match it) and
// templates: "[brand]" stands for each of the brand's names ("[brand]故障" -> "Herald故障",
// "赫兰故障"). All rules compile into one Hyperscan database; one scan per item finds them all.
//
// Thread-safe after construction: scan() takes a per-thread scratch space.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace herald::crisis::listening {

struct KeywordRule {
  std::int64_t id = 0;
  std::string keyword;  // may contain "[brand]"
  bool fuzzy = false;
  double weight = 1.0;
  std::string region;  // "" = every region
};

struct Match {
  std::int64_t rule_id = 0;
  double weight = 0;
};

struct ScanResult {
  std::vector<Match> matches;  // each rule once, in rule order
  double weight = 0;           // the sum of the matched rules' weights
};

// Folds text as the matcher does (exposed for tests and for storing folded keywords).
class Folder {
 public:
  Folder();  // loads OpenCC's t2s character table; throws std::runtime_error if it is missing
  [[nodiscard]] std::string fold(const std::string& utf8) const;
  void fold_into(const std::string& utf8, std::string& out) const;  // `out` is replaced

 private:
  std::vector<char32_t> map_;  // BMP code point -> folded code point (0 = unchanged)
};

// The keyword's characters as the matcher compiles them (folded; blanks trimmed, or for a fuzzy
// rule dropped), or why it cannot be matched (empty, not valid UTF-8).
std::optional<std::string> keyword_chars(const Folder& folder, const std::string& keyword, bool fuzzy,
                                         std::vector<char32_t>& chars);

class Matcher {
 public:
  // Throws std::invalid_argument naming the rule that cannot be compiled.
  Matcher(const std::vector<KeywordRule>& rules, const std::vector<std::string>& brand_names);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  [[nodiscard]] ScanResult scan(const std::string& utf8, const std::string& region = "") const;
  [[nodiscard]] std::size_t patterns() const { return pattern_rule_.size(); }
  [[nodiscard]] const Folder& folder() const { return folder_; }

 private:
  struct Db;
  Folder folder_;
  std::vector<KeywordRule> rules_;
  std::vector<std::size_t> pattern_rule_;  // hyperscan id -> index in rules_
  std::unique_ptr<Db> db_;
};

}  // namespace herald::crisis::listening
