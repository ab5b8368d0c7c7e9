#include "services/campaigns/campaigns.hpp"

#include "herald/adapters/adapter.hpp"
#include "services/campaigns/domain/campaign.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/day.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::campaigns {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

namespace {

template <class F>
auto fields_checked(F&& f) {
  try {
    return f();
  } catch (const domain::FieldError& e) {
    http::invalid_field(e.field, e.what());
  }
}

json to_json(const domain::CampaignFields& f) {
  json kpis = json::array(), rewards = json::array(), allocation = json::array();
  for (const auto& k : f.kpis) kpis.push_back({{"metric", k.metric}, {"target", k.target}});
  for (const auto& r : f.rewards) {
    json o = {{"name", r.name}, {"quantity", r.quantity}};
    if (r.value_minor) o["value_minor"] = *r.value_minor;
    rewards.push_back(o);
  }
  for (const auto& a : f.allocation) allocation.push_back({{"target", a.target}, {"label", a.label}, {"amount_minor", a.amount_minor}});
  return {{"kpis", kpis}, {"rewards", rewards}, {"allocation", allocation}};
}

std::optional<std::string> readable_brands(const iam::Principal& p) {
  if (p.is_admin) return std::nullopt;
  std::vector<std::string> ids;
  for (const auto& m : p.memberships) {
    if (p.can(perm::kCampaignRead, m.brand_id) && core::is_uuid(m.brand_id)) ids.push_back(m.brand_id);
  }
  return core::pg::text_array(ids);
}

void check_uuid(const std::string& id, const char* what) {
  if (!core::is_uuid(id)) http::not_found(std::string("no such ") + what);
}

}  // namespace

Campaigns::Campaigns(core::pg::Pool& pg, iam::Identity& identity, contracts::AccountDirectory& directory,
                     contracts::FreezeControl& freezes)
    : pg_(pg), identity_(identity), directory_(directory), freezes_(freezes) {}

Campaigns::Row Campaigns::lock(pqxx::work& tx, const iam::Principal& p, const std::string& id,
                               std::string_view permission) {
  check_uuid(id, "campaign");
  auto rows = tx.exec_prepared("campaign_get", id, p.org_id);
  if (rows.empty()) http::not_found("no such campaign");
  Row r{json::parse(rows[0][0].as<std::string>()), rows[0][1].as<std::string>(), rows[0][2].as<int>()};
  if (!p.can(perm::kCampaignRead, r.brand_id)) http::not_found("no such campaign");
  iam::require_permission(p, permission, r.brand_id);
  return r;
}

void Campaigns::check_accounts(const iam::Principal& p, const std::string& brand_id, const json& account_ids) {
  for (const auto& id : account_ids) {
    auto a = directory_.account(p.org_id, id.get<std::string>());
    if (!a || a->brand_id != brand_id) {
      http::invalid_field("account_ids", "'" + id.get<std::string>() + "' is not an account of this brand");
    }
  }
}

json Campaigns::write(pqxx::work& tx, const iam::Principal& p, const std::string& id, const json& c,
                      const std::string& status, const std::optional<std::string>& freeze_id,
                      std::optional<int> version) {
  auto f = domain::fields_of(c);
  auto extra = to_json(f);
  auto rows = tx.exec_prepared(
      "campaign_update", id, p.org_id, f.name, f.type, f.goal, f.theme, extra["kpis"].dump(),
      core::pg::text_array(f.platforms), core::pg::text_array(f.account_ids), f.rules.dump(), extra["rewards"].dump(),
      f.budget_minor, f.budget_minor ? std::optional<std::string>(f.currency) : std::nullopt,
      extra["allocation"].dump(), f.starts_on, f.ends_on, f.owner_id, status, freeze_id, version);
  if (rows.empty()) http::precondition_failed("the campaign changed since you read it");
  return json::parse(rows[0][0].as<std::string>());
}

json Campaigns::create(const iam::Principal& p, const json& body) {
  if (!body.is_object() || !body.contains("brand_id") || !body["brand_id"].is_string() ||
      !core::is_uuid(body["brand_id"].get<std::string>())) {
    http::invalid_field("brand_id", "is required: the brand's id (UUID)");
  }
  auto brand_id = body["brand_id"].get<std::string>();
  iam::require_permission(p, perm::kCampaignManage, brand_id);
  domain::CampaignFields f;
  fields_checked([&] {
    domain::apply(f, body, true, [](std::string_view name) { return adapters::is_platform(name); });
    return 0;
  });
  if (!identity_.brand(p.org_id, brand_id)) http::invalid_field("brand_id", "names no brand of your organization");
  auto extra = to_json(f);
  check_accounts(p, brand_id, json(f.account_ids));
  auto out = pg_.transact([&](pqxx::work& tx) {
    auto c = json::parse(
        tx.exec_prepared1("campaign_insert", p.org_id, brand_id, f.name, f.type, f.goal, f.theme, extra["kpis"].dump(),
                          core::pg::text_array(f.platforms), core::pg::text_array(f.account_ids), f.rules.dump(),
                          extra["rewards"].dump(), f.budget_minor,
                          f.budget_minor ? std::optional<std::string>(f.currency) : std::nullopt,
                          extra["allocation"].dump(), f.starts_on, f.ends_on, f.owner_id, f.status, p.user_id)[0]
            .as<std::string>());
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"campaign.create", "campaign", c["id"].get<std::string>(), brand_id,
                            {{"name", f.name}, {"type", f.type}, {"status", f.status}}});
    return c;
  });
  notify(brand_id, out);
  return out;
}

json Campaigns::get(const iam::Principal& p, const std::string& id) {
  check_uuid(id, "campaign");
  auto c = pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("campaign_read", id, p.org_id);
    if (rows.empty() || !p.can(perm::kCampaignRead, rows[0][1].as<std::string>())) http::not_found("no such campaign");
    return json::parse(rows[0][0].as<std::string>());
  });
  if (c["status"] == "paused" && c["freeze_id"].is_string()) {
    if (auto s = freezes_.state(p, c["freeze_id"].get<std::string>())) {
      c["freeze"] = {{"id", s->id}, {"active", s->active}, {"acknowledged", s->acknowledged},
                     {"lift_requested", !s->lift_requested_by.empty()}, {"held_at_ack", s->held_at_ack}};
    }
  }
  return c;
}

json Campaigns::list(const iam::Principal& p, const std::optional<std::string>& brand_id,
                     const std::optional<std::string>& status, const std::optional<std::string>& active_on,
                     const std::optional<std::string>& cursor, int limit) {
  if (brand_id && !core::is_uuid(*brand_id)) http::invalid_field("brand_id", "must be a UUID");
  if (status) {
    const auto& all = domain::campaign_statuses();
    if (std::find(all.begin(), all.end(), *status) == all.end()) {
      http::invalid_field("status", "must be one of draft, planned, active, paused, completed, cancelled");
    }
  }
  if (active_on && !core::parse_day(*active_on)) http::invalid_field("active_on", "must be a date YYYY-MM-DD");
  if (cursor && !core::is_uuid(*cursor)) http::invalid_field("cursor", "is not a cursor this API gave");
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    json next = nullptr;
    auto rows = tx.exec_prepared("campaigns_list", p.org_id, readable_brands(p), brand_id, status, active_on, cursor,
                                 limit + 1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (static_cast<int>(i) == limit) {
        next = rows[i - 1][1].as<std::string>();
        break;
      }
      items.push_back(json::parse(rows[i][0].as<std::string>()));
    }
    return json{{"items", items}, {"next_cursor", next}};
  });
}

json Campaigns::update(const iam::Principal& p, const std::string& id, const json& body, std::optional<int> version) {
  json out;
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    auto row = lock(tx, p, id, perm::kCampaignManage);
    if (row.json["status"] == "completed" || row.json["status"] == "cancelled") {
      http::conflict("the campaign is " + row.json["status"].get<std::string>() + ": it can no longer change");
    }
    auto f = domain::fields_of(row.json);
    fields_checked([&] {
      domain::apply(f, body, false, [](std::string_view name) { return adapters::is_platform(name); });
      return 0;
    });
    if (body.contains("account_ids")) check_accounts(p, row.brand_id, json(f.account_ids));
    auto merged = row.json;
    auto extra = to_json(f);
    merged.update(json{{"name", f.name}, {"type", f.type}, {"goal", f.goal}, {"theme", f.theme}, {"kpis", extra["kpis"]},
                       {"platforms", f.platforms}, {"account_ids", f.account_ids}, {"rules", f.rules},
                       {"rewards", extra["rewards"]},
                       {"budget", f.budget_minor ? json{{"amount_minor", *f.budget_minor}, {"currency", f.currency}} : json(nullptr)},
                       {"allocation", extra["allocation"]},
                       {"starts_on", f.starts_on ? json(*f.starts_on) : json(nullptr)},
                       {"ends_on", f.ends_on ? json(*f.ends_on) : json(nullptr)},
                       {"owner_id", f.owner_id ? json(*f.owner_id) : json(nullptr)}});
    std::optional<std::string> freeze = row.json["freeze_id"].is_string() ? std::optional(row.json["freeze_id"].get<std::string>()) : std::nullopt;
    out = write(tx, p, id, merged, row.json["status"].get<std::string>(), freeze, version);
    json changed = json::array();
    for (const auto& [k, _] : body.items()) changed.push_back(k);
    identity_.append_audit(tx, iam::Actor::of(p), {"campaign.update", "campaign", id, row.brand_id, {{"fields", changed}}});
    brand = row.brand_id;
  });
  notify(brand, out);
  return out;
}

json Campaigns::set_status(const iam::Principal& p, const std::string& id, const std::string& status,
                           std::optional<int> version) {
  json out;
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    auto row = lock(tx, p, id, perm::kCampaignManage);
    auto from = row.json["status"].get<std::string>();
    const auto& all = domain::campaign_statuses();
    if (std::find(all.begin(), all.end(), status) == all.end()) {
      http::invalid_field("status", "must be one of draft, planned, active, completed, cancelled");
    }
    if (status == "paused" || from == "paused") {
      http::conflict("pausing and resuming go through POST /api/v1/campaigns/{id}/pause and /resume (a freeze)");
    }
    if (!domain::can_change_status(from, status)) http::conflict("a " + from + " campaign cannot become " + status);
    auto f = domain::fields_of(row.json);
    f.status = status;
    fields_checked([&] {
      domain::check(f);
      return 0;
    });
    out = write(tx, p, id, row.json, status, std::nullopt, version);
    identity_.append_audit(tx, iam::Actor::of(p), {"campaign.status", "campaign", id, row.brand_id, {{"from", from}, {"to", status}}});
    brand = row.brand_id;
  });
  notify(brand, out);
  return out;
}

json Campaigns::pause(const iam::Principal& p, const std::string& id, const std::string& reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) http::invalid_field("reason", "is required");
  // Check first (cheap, no freeze set for a campaign that cannot pause), then freeze, then record.
  auto row = pg_.transact([&](pqxx::work& tx) { return lock(tx, p, id, perm::kCampaignManage); });
  if (row.json["status"] != "active") {
    http::conflict("only an active campaign can pause (this one is " + row.json["status"].get<std::string>() + ")");
  }
  auto state = freezes_.freeze_campaign(p, id, row.brand_id, reason);
  json out;
  pg_.transact([&](pqxx::work& tx) {
    auto again = lock(tx, p, id, perm::kCampaignManage);
    out = write(tx, p, id, again.json, "paused", state.id, std::nullopt);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"campaign.pause", "campaign", id, row.brand_id, {{"freeze_id", state.id}, {"reason", reason}}});
  });
  out["freeze"] = {{"id", state.id}, {"active", state.active}, {"acknowledged", state.acknowledged},
                   {"ack_ms", state.ack_ms ? json(*state.ack_ms) : json(nullptr)}, {"held_at_ack", state.held_at_ack},
                   {"lift_requested", false}};
  notify(row.brand_id, out);
  return out;
}

json Campaigns::resume(const iam::Principal& p, const std::string& id, const std::string& reason) {
  auto row = pg_.transact([&](pqxx::work& tx) { return lock(tx, p, id, perm::kCampaignManage); });
  if (row.json["status"] != "paused" || !row.json["freeze_id"].is_string()) http::conflict("the campaign is not paused");
  auto freeze_id = row.json["freeze_id"].get<std::string>();
  auto current = freezes_.state(p, freeze_id);
  bool asking = current && current->active && current->lift_requested_by.empty();
  if (asking && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    http::invalid_field("reason", "is required to ask for the lift");
  }
  contracts::FreezeState state;
  if (current && current->active) {
    state = freezes_.request_or_lift(p, freeze_id, reason);
  } else {
    state = current.value_or(contracts::FreezeState{});  // lifted or expired elsewhere: just record it
  }
  json out;
  pg_.transact([&](pqxx::work& tx) {
    auto again = lock(tx, p, id, perm::kCampaignManage);
    if (!state.active) {
      out = write(tx, p, id, again.json, "active", std::nullopt, std::nullopt);
      identity_.append_audit(tx, iam::Actor::of(p), {"campaign.resume", "campaign", id, row.brand_id, {{"freeze_id", freeze_id}}});
    } else {
      out = again.json;
      identity_.append_audit(tx, iam::Actor::of(p),
                             {"campaign.resume_requested", "campaign", id, row.brand_id, {{"freeze_id", freeze_id}, {"reason", reason}}});
    }
  });
  out["freeze"] = {{"id", freeze_id}, {"active", state.active}, {"acknowledged", state.acknowledged},
                   {"lift_requested", !state.lift_requested_by.empty()}, {"held_at_ack", state.held_at_ack}};
  notify(row.brand_id, out);
  return out;
}

json Campaigns::add_event(const iam::Principal& p, const std::string& id, const EventInput& in) {
  if (in.kind != "online" && in.kind != "offline") http::invalid_field("kind", "must be online or offline");
  if (in.ends_at_ms && *in.ends_at_ms < in.starts_at_ms) http::invalid_field("ends_at", "is before starts_at");
  json event;
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    auto row = lock(tx, p, id, perm::kCampaignManage);
    event = json::parse(tx.exec_prepared1("campaign_event_insert", id, in.kind, in.title, in.starts_at_ms, in.ends_at_ms,
                                          in.location, in.url, in.notes)[0]
                            .as<std::string>());
    tx.exec_prepared("campaign_touch", id);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"campaign.event", "campaign", id, row.brand_id, {{"event_id", event["id"]}, {"title", in.title}}});
    brand = row.brand_id;
  });
  notify(brand, get(p, id));
  return event;
}

json Campaigns::delete_event(const iam::Principal& p, const std::string& id, const std::string& event_id) {
  check_uuid(event_id, "event");
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    auto row = lock(tx, p, id, perm::kCampaignManage);
    if (tx.exec_prepared("campaign_event_delete", event_id, id).empty()) http::not_found("no such event in this campaign");
    tx.exec_prepared("campaign_touch", id);
    identity_.append_audit(tx, iam::Actor::of(p), {"campaign.event_deleted", "campaign", id, row.brand_id, {{"event_id", event_id}}});
    brand = row.brand_id;
  });
  auto out = get(p, id);
  notify(brand, out);
  return out;
}

void Campaigns::notify(const std::string& brand_id, const json& campaign) {
  if (notifier_) notifier_(brand_id, json{{"type", "campaign.changed"}, {"campaign", campaign}}.dump());
}

}  // namespace herald::campaigns
