#include "services/inbox/routing.hpp"

#include <algorithm>

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"
#include "services/inbox/domain/business_hours.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

namespace {

bool role_answers(const std::string& role) {
  const auto* r = iam::find_role(role);
  return r != nullptr && std::find(r->permissions.begin(), r->permissions.end(), perm::kInboxReply) != r->permissions.end();
}

bool covers(const iam::MemberInfo& m, const std::string& account_id) {
  return !m.account_ids || std::find(m.account_ids->begin(), m.account_ids->end(), account_id) != m.account_ids->end();
}

std::optional<BusinessHours> hours_of(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  BusinessHours h;
  HoursError e;
  if (!parse_business_hours(json::parse(f.as<std::string>()), h, e)) return std::nullopt;
  return h;
}

bool on_duty(bool available, const std::optional<BusinessHours>& hours, std::chrono::system_clock::time_point now) {
  return available && (!hours || is_open(date::floor<std::chrono::seconds>(now), *hours));
}

}  // namespace

Routing::Routing(core::pg::Pool& pg, iam::Identity& identity) : pg_(pg), identity_(identity) {}

void Routing::check_brand(const iam::Principal& p, const std::string& brand_id) {
  if (!core::is_uuid(brand_id) || !p.can(perm::kInboxRead, brand_id)) http::not_found("no such brand");
}

std::vector<iam::MemberInfo> Routing::answering_members(const std::string& org_id, const std::string& brand_id) {
  auto all = identity_.members(org_id, brand_id);
  std::vector<iam::MemberInfo> out;
  for (auto& m : all) {
    if (role_answers(m.role)) out.push_back(std::move(m));
  }
  return out;
}

json Routing::get(const iam::Principal& p, const std::string& brand_id) {
  check_brand(p, brand_id);
  return pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("inbox_routing_get", brand_id);
    json out = rows.empty() ? to_json(RoutingConfig{}) : json::parse(rows[0][0].as<std::string>());
    out["brand_id"] = brand_id;
    out["version"] = rows.empty() ? 0 : rows[0][1].as<int>();
    out["updated_by"] = rows.empty() ? json(nullptr) : json(rows[0][2].as<std::string>());
    out["updated_at"] = rows.empty() ? json(nullptr) : json(rows[0][3].as<std::string>());
    return out;
  });
}

json Routing::put(const iam::Principal& p, const std::string& brand_id, const json& doc, std::optional<int> version) {
  check_brand(p, brand_id);
  if (!p.can(perm::kInboxAssign, brand_id)) http::forbidden("setting the brand's routing needs inbox.assign");
  RoutingConfig config;
  FieldError e;
  if (!parse_routing(doc, config, e)) http::invalid_field(e.field.empty() ? "body" : e.field, e.message);
  auto members = answering_members(p.org_id, brand_id);
  for (std::size_t i = 0; i < config.rules.size(); ++i) {
    const auto& to = config.rules[i].assign_to;
    if (to && std::none_of(members.begin(), members.end(), [&](const auto& m) { return m.user_id == *to; })) {
      http::invalid_field("rules[" + std::to_string(i) + "].assign_to", "is not a member who answers this brand's inbox");
    }
  }
  return pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("inbox_routing_put", brand_id, p.org_id, to_json(config).dump(), version, p.label());
    if (rows.empty()) http::precondition_failed("the routing changed since you read it");
    identity_.append_audit(tx, iam::Actor::of(p), {"inbox.routing", "brand", brand_id, brand_id, to_json(config)});
    json out = json::parse(rows[0][0].as<std::string>());
    out["brand_id"] = brand_id;
    out["version"] = rows[0][1].as<int>();
    out["updated_by"] = rows[0][2].as<std::string>();
    out["updated_at"] = rows[0][3].as<std::string>();
    return out;
  });
}

json Routing::rota(const iam::Principal& p, const std::string& brand_id) {
  check_brand(p, brand_id);
  auto members = answering_members(p.org_id, brand_id);
  auto now = std::chrono::system_clock::now();
  return pg_.transact([&](pqxx::work& tx) {
    std::map<std::string, pqxx::row> rows;
    auto result = tx.exec_prepared("inbox_rota_list", brand_id);
    for (const auto& r : result) rows.emplace(r[0].as<std::string>(), r);
    json items = json::array();
    for (const auto& m : members) {
      json item{{"user_id", m.user_id}, {"name", m.name}, {"role", m.role}};
      auto it = rows.find(m.user_id);
      if (it == rows.end()) {
        item.update({{"in_rota", false}, {"available", false}, {"hours", nullptr}, {"on_duty_now", false},
                     {"last_assigned_at", nullptr}});
      } else {
        const auto& r = it->second;
        auto hours = hours_of(r[2]);
        item.update({{"in_rota", true},
                     {"available", r[1].as<bool>()},
                     {"hours", hours ? to_json(*hours) : json(nullptr)},
                     {"on_duty_now", on_duty(r[1].as<bool>(), hours, now)},
                     {"last_assigned_at", r[3].is_null() ? json(nullptr) : json(r[3].as<std::string>())}});
      }
      items.push_back(std::move(item));
    }
    return json{{"brand_id", brand_id}, {"members", items}};
  });
}

json Routing::put_duty(const iam::Principal& p, const std::string& brand_id, const std::string& user_id,
                       const DutyChange& change) {
  check_brand(p, brand_id);
  if (!core::is_uuid(user_id)) http::invalid_field("user_id", "must be a user id (UUID)");
  bool self = user_id == p.user_id;
  if (!(self ? p.can(perm::kInboxReply, brand_id) : p.can(perm::kInboxAssign, brand_id))) {
    http::forbidden(self ? "being on duty needs inbox.reply on the brand" : "setting someone else's duty needs inbox.assign");
  }
  auto members = answering_members(p.org_id, brand_id);
  if (std::none_of(members.begin(), members.end(), [&](const auto& m) { return m.user_id == user_id; })) {
    http::invalid_field("user_id", "is not a member who answers this brand's inbox");
  }
  std::optional<std::string> hours_text;
  if (change.hours && !change.hours->is_null()) {
    auto j = *change.hours;
    if (j.is_object() && !j.contains("timezone")) {
      if (auto b = identity_.brand(p.org_id, brand_id)) j["timezone"] = b->timezone;
    }
    BusinessHours h;
    HoursError e;
    if (!parse_business_hours(j, h, e)) {
      auto field = e.field;
      field.replace(0, std::string("business_hours").size(), "hours");
      http::invalid_field(field, e.message);
    }
    hours_text = to_json(h).dump();
  }
  pg_.transact([&](pqxx::work& tx) {
    tx.exec_prepared("inbox_rota_put", brand_id, user_id, p.org_id, change.available, hours_text);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.rota", "user", user_id, brand_id, {{"available", change.available}}});
  });
  auto all = rota(p, brand_id);
  for (const auto& m : all["members"]) {
    if (m["user_id"] == user_id) return m;
  }
  return json::object();
}

void Routing::remove_duty(const iam::Principal& p, const std::string& brand_id, const std::string& user_id) {
  check_brand(p, brand_id);
  if (!core::is_uuid(user_id)) http::not_found("not in the rota");
  bool self = user_id == p.user_id;
  if (!(self ? p.can(perm::kInboxReply, brand_id) : p.can(perm::kInboxAssign, brand_id))) {
    http::forbidden(self ? "being on duty needs inbox.reply on the brand" : "setting someone else's duty needs inbox.assign");
  }
  pg_.transact([&](pqxx::work& tx) {
    if (tx.exec_prepared("inbox_rota_delete", brand_id, user_id, p.org_id).empty()) http::not_found("not in the rota");
    identity_.append_audit(tx, iam::Actor::of(p), {"inbox.rota.remove", "user", user_id, brand_id, {}});
  });
}

std::optional<RoutingPlan> Routing::plan(const std::string& org_id, const std::string& brand_id) {
  auto config = pg_.transact([&](pqxx::work& tx) -> std::optional<RoutingConfig> {
    auto rows = tx.exec_prepared("inbox_routing_get", brand_id);
    if (rows.empty()) return std::nullopt;
    RoutingConfig c;
    FieldError e;
    if (!parse_routing(json::parse(rows[0][0].as<std::string>()), c, e)) return std::nullopt;
    return c;
  });
  if (!config || (!config->auto_assign && config->rules.empty())) return std::nullopt;
  return RoutingPlan{std::move(*config), answering_members(org_id, brand_id)};
}

std::map<std::int64_t, std::string> Routing::route_new(pqxx::work& tx, const std::string& brand_id,
                                                       const RoutingPlan& plan, const std::vector<NewThread>& threads,
                                                       std::chrono::system_clock::time_point now) {
  std::map<std::int64_t, std::string> out;
  if (threads.empty()) return out;
  // The rota, read (and locked) only when some thread goes by turn.
  std::optional<std::vector<DutyMember>> team;
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  auto member = [&](const std::string& user) -> const iam::MemberInfo* {
    for (const auto& m : plan.members) {
      if (m.user_id == user) return &m;
    }
    return nullptr;
  };
  for (const auto& t : threads) {
    auto rule = match_rule(plan.config, t.input);
    if (!rule && !plan.config.auto_assign) continue;
    std::optional<std::string> to;
    if (rule && plan.config.rules[*rule].assign_to) {
      const auto* m = member(*plan.config.rules[*rule].assign_to);
      if (m != nullptr && covers(*m, t.input.account_id)) to = m->user_id;
    } else {
      if (!team) {
        team.emplace();
        for (const auto& r : tx.exec_prepared("inbox_rota_lock", brand_id)) {
          team->push_back({r[0].as<std::string>(), on_duty(r[1].as<bool>(), hours_of(r[2]), now), r[4].as<std::int64_t>()});
        }
      }
      std::vector<DutyMember> eligible;
      for (const auto& d : *team) {
        const auto* m = member(d.user_id);
        if (m != nullptr && covers(*m, t.input.account_id)) eligible.push_back(d);
      }
      to = next_in_turn(eligible);
      if (to) {
        for (auto& d : *team) {
          if (d.user_id == *to) d.last_assigned_ms = ++now_ms;  // the next thread goes to the next person
        }
        tx.exec_prepared("inbox_rota_assigned", brand_id, *to, static_cast<double>(now_ms));
      }
    }
    if (!to) continue;
    tx.exec_prepared("inbox_thread_route", t.id, *to);
    out[t.id] = *to;
  }
  return out;
}

}  // namespace herald::inbox
