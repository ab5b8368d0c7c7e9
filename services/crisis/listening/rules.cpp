#include "services/crisis/listening/rules.hpp"

#include <algorithm>
#include <sstream>

#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"
#include "services/crisis/evidence.hpp"

namespace herald::crisis::listening {

namespace http = core::http;
namespace perm = iam::perm;

namespace {

constexpr std::size_t kMaxImportLines = 20000;

std::optional<std::string> nonempty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

RuleRecord rule_from(const pqxx::row& r) {
  return RuleRecord{r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                    r[4].as<bool>(), r[5].as<double>(), r[6].as<std::string>()};
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// One CSV line: fields split at commas outside double quotes ("" inside quotes is a quote).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  for (auto& f : out) f = trim(f);
  return out;
}

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Built on first use (OpenCC's table), not when herald starts.
const Folder& folder() {
  static const Folder f;
  return f;
}

std::string weight_text(double w) {
  std::ostringstream o;
  o << w;
  return o.str();
}

}  // namespace

void Rules::require_manage(const iam::Principal& p, const std::string& brand_id) {
  require_crisis_permission(identity_, p, perm::kCrisisManage, brand_id);
}

void Rules::validate(const RuleRecord& r, const std::string& where) {
  if (r.list != "keyword" && r.list != "sensitive") http::invalid_field(where + "list", "must be keyword or sensitive");
  if (trim(r.keyword).empty()) http::invalid_field(where + "keyword", "required");
  if (r.keyword.size() > 200) http::invalid_field(where + "keyword", "at most 200 bytes");
  if (!(r.weight > 0 && r.weight <= 1000)) http::invalid_field(where + "weight", "must be above 0 and at most 1000");
  if (r.region.size() > 40) http::invalid_field(where + "region", "at most 40 characters");
  // The matcher must accept it: the same check it compiles with, without compiling a database.
  std::vector<char32_t> chars;
  if (keyword_chars(folder(), r.keyword, r.fuzzy, chars)) {
    http::invalid_field(where + "keyword", "cannot be matched (empty after folding, or not valid UTF-8)");
  }
}

std::int64_t Rules::insert(pqxx::work& tx, const iam::Principal& p, const RuleRecord& r) {
  auto rows = tx.exec_prepared("listening_rule_insert", p.org_id, nonempty(r.brand_id), r.list, trim(r.keyword),
                               r.fuzzy, r.weight, r.region, nonempty(p.user_id));
  return rows.empty() ? 0 : rows[0][0].as<std::int64_t>();
}

std::vector<RuleRecord> Rules::list(const iam::Principal& p, const std::string& list) {
  auto all = pg_.transact([&](pqxx::work& tx) {
    std::vector<RuleRecord> out;
    for (const auto& r : tx.exec_prepared("listening_rules_of_org", p.org_id)) out.push_back(rule_from(r));
    return out;
  });
  std::vector<RuleRecord> out;
  for (auto& r : all) {
    if (!list.empty() && r.list != list) continue;
    bool visible = r.brand_id.empty() ? (p.is_admin || !p.memberships.empty()) : p.can(perm::kCrisisRead, r.brand_id);
    if (visible) out.push_back(std::move(r));
  }
  return out;
}

RuleRecord Rules::add(const iam::Principal& p, RuleRecord rule) {
  validate(rule, "");
  if (!rule.brand_id.empty() && (!core::is_uuid(rule.brand_id) || !identity_.brand(p.org_id, rule.brand_id))) {
    http::invalid_field("brand_id", "names no brand of your organization");
  }
  require_manage(p, rule.brand_id);
  return pg_.transact([&](pqxx::work& tx) {
    auto id = insert(tx, p, rule);
    if (id == 0) http::conflict("the same rule exists already");
    tx.exec_prepared1("listening_version_bump", p.org_id);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"listening.rule.add", "listening_rule", std::to_string(id), rule.brand_id,
                            {{"list", rule.list}, {"keyword", rule.keyword}, {"fuzzy", rule.fuzzy}}});
    return rule_from(tx.exec_prepared1("listening_rule_get", id, p.org_id));
  });
}

void Rules::remove(const iam::Principal& p, std::int64_t id) {
  pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("listening_rule_get", id, p.org_id);
    if (rows.empty()) http::not_found("no such rule");
    auto r = rule_from(rows[0]);
    if (!r.brand_id.empty() && !p.can(perm::kCrisisRead, r.brand_id)) http::not_found("no such rule");
    require_manage(p, r.brand_id);
    tx.exec_prepared0("listening_rule_delete", id, p.org_id);
    tx.exec_prepared1("listening_version_bump", p.org_id);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"listening.rule.remove", "listening_rule", std::to_string(id), r.brand_id,
                            {{"list", r.list}, {"keyword", r.keyword}}});
  });
}

ImportResult Rules::import_csv(const iam::Principal& p, const std::string& list, const std::string& brand_id,
                               const std::string& csv) {
  if (list != "keyword" && list != "sensitive") http::invalid_field("list", "must be keyword or sensitive");
  if (!brand_id.empty() && (!core::is_uuid(brand_id) || !identity_.brand(p.org_id, brand_id))) {
    http::invalid_field("brand_id", "names no brand of your organization");
  }
  require_manage(p, brand_id);
  std::vector<RuleRecord> rules;
  nlohmann::json errors = nlohmann::json::array();
  std::istringstream in(csv);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number > kMaxImportLines) http::invalid_field("csv", "at most 20,000 lines per import");
    if (trim(line).empty()) continue;
    auto f = csv_fields(line);
    if (number == 1 && f[0] == "keyword") continue;  // the header
    RuleRecord r;
    r.list = list;
    r.brand_id = brand_id;
    r.keyword = f[0];
    std::string why;
    if (f.size() > 4) why = "too many fields (keyword, fuzzy, weight, region)";
    if (why.empty() && f.size() > 1 && !f[1].empty()) {
      const auto& v = f[1];
      if (v == "true" || v == "1" || v == "yes") r.fuzzy = true;
      else if (v == "false" || v == "0" || v == "no") r.fuzzy = false;
      else why = "fuzzy must be true or false";
    }
    if (why.empty() && f.size() > 2 && !f[2].empty()) {
      try {
        std::size_t used = 0;
        r.weight = std::stod(f[2], &used);
        if (used != f[2].size()) why = "weight must be a number";
      } catch (const std::exception&) {
        why = "weight must be a number";
      }
    }
    if (f.size() > 3) r.region = f[3];
    if (why.empty()) {
      try {
        validate(r, "");
      } catch (const http::HttpError& e) {
        why = e.detail();
      }
    }
    if (!why.empty()) {
      if (errors.size() < 100) errors.push_back({{"line", number}, {"detail", why}});
      continue;
    }
    rules.push_back(std::move(r));
  }
  if (!errors.empty()) {
    throw http::HttpError(422, "Unprocessable Content",
                          std::to_string(errors.size()) + (errors.size() == 100 ? "+" : "") +
                              " line(s) cannot be imported (the first: line " +
                              std::to_string(errors[0]["line"].get<std::size_t>()) + ", " +
                              errors[0]["detail"].get<std::string>() + "); nothing was imported",
                          {{"errors", errors}});
  }
  return pg_.transact([&](pqxx::work& tx) {
    ImportResult out;
    for (const auto& r : rules) (insert(tx, p, r) != 0 ? out.added : out.already_there)++;
    tx.exec_prepared1("listening_version_bump", p.org_id);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"listening.rules.import", "listening_rules", list, brand_id,
                            {{"added", out.added}, {"already_there", out.already_there}}});
    return out;
  });
}

std::string Rules::export_csv(const iam::Principal& p, const std::string& list, const std::string& brand_id) {
  std::string out = "keyword,fuzzy,weight,region\n";
  for (const auto& r : this->list(p, list)) {
    if (r.brand_id != brand_id) continue;
    out += csv_quote(r.keyword) + "," + (r.fuzzy ? "true" : "false") + "," + weight_text(r.weight) + "," +
           csv_quote(r.region) + "\n";
  }
  return out;
}

std::vector<RuleRecord> Rules::match(const iam::Principal& p, const std::string& text, const std::string& region,
                                     const std::string& brand_id) {
  if (!brand_id.empty()) {
    if (!core::is_uuid(brand_id) || !identity_.brand(p.org_id, brand_id)) {
      http::invalid_field("brand_id", "names no brand of your organization");
    }
    iam::require_permission(p, perm::kCrisisRead, brand_id);
  }
  const std::string key = p.org_id + "|" + brand_id;
  auto version = pg_.transact([&](pqxx::work& tx) { return tx.exec_prepared1("listening_version", p.org_id)[0].as<std::int64_t>(); });
  std::shared_ptr<const Matcher> matcher;
  std::vector<RuleRecord> rules;
  {
    std::lock_guard lock(mutex_);
    auto it = compiled_.find(key);
    if (it != compiled_.end() && it->second.version == version) {
      matcher = it->second.matcher;
      rules = it->second.rules;
    }
  }
  if (!matcher) {
    // The organization's rules and, for a brand, its own; "[brand]" stands for the brand's name
    // (or every brand's, for the organization).
    auto all = pg_.transact([&](pqxx::work& tx) {
      std::vector<RuleRecord> out;
      for (const auto& r : tx.exec_prepared("listening_rules_of_org", p.org_id)) out.push_back(rule_from(r));
      return out;
    });
    for (auto& r : all) {
      if (r.brand_id.empty() || r.brand_id == brand_id) rules.push_back(std::move(r));
    }
    std::vector<std::string> names;
    if (!brand_id.empty()) {
      names.push_back(identity_.brand(p.org_id, brand_id)->name);
    } else {
      for (const auto& b : identity_.brands(p.org_id)) names.push_back(b.name);
    }
    std::vector<KeywordRule> compiled;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      compiled.push_back({static_cast<std::int64_t>(i), rules[i].keyword, rules[i].fuzzy, rules[i].weight, rules[i].region});
    }
    matcher = std::make_shared<const Matcher>(compiled, names);
    std::lock_guard lock(mutex_);
    compiled_[key] = Compiled{version, rules, matcher};
  }
  std::vector<RuleRecord> out;
  for (const auto& m : matcher->scan(text, region).matches) out.push_back(rules[static_cast<std::size_t>(m.rule_id)]);
  return out;
}

}  // namespace herald::crisis::listening
