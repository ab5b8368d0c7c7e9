#pragma once
// Listening's rules as people manage them (issue F4, item 3): keyword rules and the sensitive-word
// library, for the organization or one brand; added one by one or imported from CSV (all or
// nothing: one bad line and nothing is stored), exported as CSV, and tried on a text with
// match(), which compiles the organization's rules into a Matcher (matcher.hpp) once per change.
//
// CSV: one rule per line, `keyword[,fuzzy[,weight[,region]]]` (fuzzy: true/false/1/0/yes/no);
// a first line starting with "keyword," is a header; blank lines are skipped; a keyword holding a
// comma is written in double quotes.
//
// Blocking. Refusals are core::http::HttpError: 403, 404, 422 (with per-line "errors").
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"
#include "services/crisis/listening/matcher.hpp"

namespace herald::crisis::listening {

struct RuleRecord {
  std::int64_t id = 0;
  std::string brand_id;  // "" = the whole organization
  std::string list;      // keyword | sensitive
  std::string keyword;
  bool fuzzy = false;
  double weight = 1.0;
  std::string region;
};

struct ImportResult {
  int added = 0;
  int already_there = 0;
};

class Rules {
 public:
  Rules(core::pg::Pool& pg, iam::Identity& identity) : pg_(pg), identity_(identity) {}

  std::vector<RuleRecord> list(const iam::Principal& p, const std::string& list);  // "" = both lists
  RuleRecord add(const iam::Principal& p, RuleRecord rule);
  void remove(const iam::Principal& p, std::int64_t id);
  ImportResult import_csv(const iam::Principal& p, const std::string& list, const std::string& brand_id,
                          const std::string& csv);
  std::string export_csv(const iam::Principal& p, const std::string& list, const std::string& brand_id);
  // The rules of the organization (and of `brand_id`, when given) that `text` meets.
  std::vector<RuleRecord> match(const iam::Principal& p, const std::string& text, const std::string& region,
                                const std::string& brand_id);

 private:
  void validate(const RuleRecord& r, const std::string& where);
  void require_manage(const iam::Principal& p, const std::string& brand_id);
  std::int64_t insert(pqxx::work& tx, const iam::Principal& p, const RuleRecord& r);

  struct Compiled {
    std::int64_t version = -1;
    std::vector<RuleRecord> rules;
    std::shared_ptr<const Matcher> matcher;
  };
  core::pg::Pool& pg_;
  iam::Identity& identity_;
  std::mutex mutex_;
  std::map<std::string, Compiled> compiled_;  // "<org>|<brand>" -> matcher
};

}  // namespace herald::crisis::listening
