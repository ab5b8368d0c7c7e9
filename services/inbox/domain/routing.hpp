#pragma once
// Assignment of new threads (issue #6, "Work"): a brand's routing rules, tried in order (a rule
// matches by keyword in the first message, by account and by kind; every condition it names must
// hold), each giving the thread to one member or to the next on-duty member in turn; with
// auto-assign on, a thread no rule takes goes to the next on-duty member too. Round robin gives
// the thread to the on-duty member who was given one longest ago. Pure.
//
// JSON form (the API's routing document):
//   {"auto_assign": true,
//    "rules": [{"name": "Refunds", "keywords": ["refund", "退款"], "account_ids": [], "kinds": ["dm"],
//               "assign_to": "<user id>" | null (round robin)}, ...]}
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::inbox {

struct RoutingRule {
  std::string name;
  std::vector<std::string> keywords;     // any of them, case-insensitive, anywhere in the text
  std::vector<std::string> account_ids;  // any of them
  std::vector<std::string> kinds;        // comment | mention | dm
  std::optional<std::string> assign_to;  // nullopt: round robin among those on duty
};

struct RoutingConfig {
  bool auto_assign = false;
  std::vector<RoutingRule> rules;
};

struct FieldError {
  std::string field;
  std::string message;
};

// At most 50 rules of at most 50 keywords each; user and account ids are UUIDs.
bool parse_routing(const nlohmann::json& j, RoutingConfig& out, FieldError& error);
nlohmann::json to_json(const RoutingConfig& c);

struct RouteInput {
  std::string text, account_id, kind;
};

// The first rule that takes the thread, or nullopt.
std::optional<std::size_t> match_rule(const RoutingConfig& c, const RouteInput& in);

struct DutyMember {
  std::string user_id;
  bool on_duty = false;
  std::int64_t last_assigned_ms = 0;  // 0: never
};

// The on-duty member given a thread longest ago (never first; ties by user id), or nullopt.
std::optional<std::string> next_in_turn(const std::vector<DutyMember>& members);

}  // namespace herald::inbox
