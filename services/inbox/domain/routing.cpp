#include "services/inbox/domain/routing.hpp"

#include <algorithm>

#include "services/core/util/uuid.hpp"

namespace herald::inbox {

using nlohmann::json;

namespace {

std::string lower_ascii(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool string_list(const json& j, const std::string& field, std::size_t max_items, std::size_t max_len,
                 std::vector<std::string>& out, FieldError& error) {
  if (!j.is_array() || j.size() > max_items) {
    error = {field, "must be a list of at most " + std::to_string(max_items) + " strings"};
    return false;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string() || j[i].get<std::string>().empty() || j[i].get<std::string>().size() > max_len) {
      error = {field + "[" + std::to_string(i) + "]", "must be a string of 1 to " + std::to_string(max_len) + " bytes"};
      return false;
    }
    out.push_back(j[i].get<std::string>());
  }
  return true;
}

}  // namespace

bool parse_routing(const json& j, RoutingConfig& out, FieldError& error) {
  out = RoutingConfig{};
  if (!j.is_object()) {
    error = {"", "must be an object with auto_assign and rules"};
    return false;
  }
  for (const auto& [key, _] : j.items()) {
    if (key != "auto_assign" && key != "rules") {
      error = {key, "unknown field"};
      return false;
    }
  }
  if (j.contains("auto_assign")) {
    if (!j["auto_assign"].is_boolean()) {
      error = {"auto_assign", "must be true or false"};
      return false;
    }
    out.auto_assign = j["auto_assign"].get<bool>();
  }
  if (!j.contains("rules")) return true;
  const auto& rules = j["rules"];
  if (!rules.is_array() || rules.size() > 50) {
    error = {"rules", "must be a list of at most 50 rules"};
    return false;
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    auto at = "rules[" + std::to_string(i) + "]";
    const auto& r = rules[i];
    if (!r.is_object()) {
      error = {at, "must be an object"};
      return false;
    }
    RoutingRule rule;
    for (const auto& [key, value] : r.items()) {
      auto field = at + "." + key;
      if (key == "name") {
        if (!value.is_string() || value.get<std::string>().size() > 100) {
          error = {field, "must be a string of at most 100 bytes"};
          return false;
        }
        rule.name = value.get<std::string>();
      } else if (key == "keywords") {
        if (!string_list(value, field, 50, 100, rule.keywords, error)) return false;
      } else if (key == "account_ids") {
        if (!string_list(value, field, 200, 36, rule.account_ids, error)) return false;
        for (std::size_t k = 0; k < rule.account_ids.size(); ++k) {
          if (!core::is_uuid(rule.account_ids[k])) {
            error = {field + "[" + std::to_string(k) + "]", "must be an account id (UUID)"};
            return false;
          }
        }
      } else if (key == "kinds") {
        if (!string_list(value, field, 3, 10, rule.kinds, error)) return false;
        for (std::size_t k = 0; k < rule.kinds.size(); ++k) {
          const auto& kind = rule.kinds[k];
          if (kind != "comment" && kind != "mention" && kind != "dm") {
            error = {field + "[" + std::to_string(k) + "]", "must be comment, mention or dm"};
            return false;
          }
        }
      } else if (key == "assign_to") {
        if (value.is_null()) continue;
        if (!value.is_string() || !core::is_uuid(value.get<std::string>())) {
          error = {field, "must be a member's user id, or null for the next on-duty member"};
          return false;
        }
        rule.assign_to = value.get<std::string>();
      } else {
        error = {field, "unknown field"};
        return false;
      }
    }
    if (rule.keywords.empty() && rule.account_ids.empty() && rule.kinds.empty()) {
      error = {at, "matches everything: give keywords, account_ids or kinds (auto_assign covers the rest)"};
      return false;
    }
    for (auto& k : rule.keywords) k = lower_ascii(k);
    out.rules.push_back(std::move(rule));
  }
  return true;
}

json to_json(const RoutingConfig& c) {
  json rules = json::array();
  for (const auto& r : c.rules) {
    rules.push_back({{"name", r.name},
                     {"keywords", r.keywords},
                     {"account_ids", r.account_ids},
                     {"kinds", r.kinds},
                     {"assign_to", r.assign_to ? json(*r.assign_to) : json(nullptr)}});
  }
  return {{"auto_assign", c.auto_assign}, {"rules", rules}};
}

std::optional<std::size_t> match_rule(const RoutingConfig& c, const RouteInput& in) {
  std::string text;  // lowered once, when a rule has keywords
  bool lowered = false;
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    const auto& r = c.rules[i];
    if (!r.kinds.empty() && std::find(r.kinds.begin(), r.kinds.end(), in.kind) == r.kinds.end()) continue;
    if (!r.account_ids.empty() &&
        std::find(r.account_ids.begin(), r.account_ids.end(), in.account_id) == r.account_ids.end()) {
      continue;
    }
    if (!r.keywords.empty()) {
      if (!lowered) {
        text = lower_ascii(in.text);
        lowered = true;
      }
      bool any = std::any_of(r.keywords.begin(), r.keywords.end(),
                             [&](const std::string& k) { return text.find(k) != std::string::npos; });
      if (!any) continue;
    }
    return i;
  }
  return std::nullopt;
}

std::optional<std::string> next_in_turn(const std::vector<DutyMember>& members) {
  const DutyMember* best = nullptr;
  for (const auto& m : members) {
    if (!m.on_duty) continue;
    if (best == nullptr || m.last_assigned_ms < best->last_assigned_ms ||
        (m.last_assigned_ms == best->last_assigned_ms && m.user_id < best->user_id)) {
      best = &m;
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->user_id;
}

}  // namespace herald::inbox
