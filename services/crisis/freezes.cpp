#include "services/crisis/freezes.hpp"

#include <algorithm>
#include <chrono>

#include "herald/adapters/adapter.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/instant.hpp"
#include "services/core/util/uuid.hpp"
#include "services/crisis/evidence.hpp"

namespace herald::crisis {

namespace http = core::http;
namespace perm = iam::perm;

namespace {

constexpr std::int64_t kMaxExpiryMs = std::int64_t{90} * 24 * 3600 * 1000;  // 90 days

std::string label_of(const iam::Principal& p) { return p.email.empty() ? p.user_id : p.email; }

std::optional<std::string> nonempty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<std::int64_t> opt_i64(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

FreezeRecord freeze_from(const pqxx::row& r) {
  FreezeRecord f;
  f.id = r[0].as<std::string>();
  f.org_id = r[1].as<std::string>();
  f.scope.kind = r[2].as<std::string>();
  f.scope.value = r[3].as<std::string>();
  f.brand_id = r[4].as<std::string>();
  f.reason = r[5].as<std::string>();
  f.set_by = r[6].as<std::string>();
  f.set_by_label = r[7].as<std::string>();
  f.set_at_ms = r[8].as<std::int64_t>();
  f.expires_at_ms = opt_i64(r[9]);
  f.epoch = r[10].as<std::int64_t>();
  f.acknowledged_at_ms = opt_i64(r[11]);
  if (!r[12].is_null()) f.ack_ms = r[12].as<double>();
  f.in_flight_at_ack = nlohmann::json::parse(r[13].as<std::string>());
  f.held_at_ack = opt_i64(r[14]);
  f.lift_requested_by = r[15].as<std::string>();
  f.lift_requested_label = r[16].as<std::string>();
  f.lift_requested_at_ms = opt_i64(r[17]);
  f.lift_reason = r[18].as<std::string>();
  f.lifted_by = r[19].as<std::string>();
  f.lifted_by_label = r[20].as<std::string>();
  f.lifted_at_ms = opt_i64(r[21]);
  return f;
}

// The gate's scope key of a freeze, as crisis_active_scopes (store/fence.sql) spells it.
std::string scope_key(const std::string& org_id, const FreezeScope& s) {
  if (s.kind == "all") return "org:" + org_id;
  if (s.kind == "platform") return "org:" + org_id + ":platform:" + s.value;
  if (s.kind == "tag") return "org:" + org_id + ":tag:" + s.value;
  return s.kind + ":" + s.value;
}

std::vector<std::string> active_scopes(pqxx::work& tx) {
  std::vector<std::string> out;
  for (const auto& r : tx.exec_prepared("crisis_active_scopes")) out.push_back(r[0].as<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

std::string reason_field(const std::string& field, const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    http::invalid_field(field, "required: say why, for the people who will read the audit log");
  }
  if (text.size() > 2000) http::invalid_field(field, "at most 2000 characters");
  return text;
}

nlohmann::json opt_instant(const std::optional<std::int64_t>& ms) {
  return ms ? nlohmann::json(core::format_instant_ms(*ms)) : nlohmann::json(nullptr);
}

nlohmann::json counts_json(const std::vector<contracts::HeldCount>& counts, const char* key_name) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : counts) out.push_back({{key_name, c.key}, {"count", c.count}});
  return out;
}

}  // namespace

Freezes::Freezes(core::pg::Pool& pg, core::redis::Pool& redis, iam::Identity& identity,
                 contracts::AccountDirectory& directory, contracts::FreezePreviewSource& preview,
                 const core::Clock& clock, FreezesOptions options)
    : pg_(pg),
      redis_(redis),
      identity_(identity),
      directory_(directory),
      preview_(preview),
      clock_(clock),
      options_(std::move(options)),
      keys_(options_.key_prefix) {}

std::int64_t Freezes::now_ms() const {
  return clock_.now_ms();
}

Freezes::Resolved Freezes::resolve(const iam::Principal& p, const FreezeScope& scope) {
  Resolved r;
  r.ref = contracts::FreezeScopeRef{p.org_id, scope.kind, scope.value};
  const auto& k = scope.kind;
  if (k == "all") {
    if (!scope.value.empty()) http::invalid_field("scope.value", "must be empty for a freeze of all brands");
  } else if (k == "brand") {
    if (!core::is_uuid(scope.value)) http::invalid_field("scope.value", "a brand id (UUID)");
    if (!identity_.brand(p.org_id, scope.value)) {
      http::invalid_field("scope.value", "names no brand of your organization");
    }
    r.brand_id = scope.value;
  } else if (k == "account") {
    if (!core::is_uuid(scope.value)) http::invalid_field("scope.value", "an account id (UUID)");
    auto account = directory_.account(p.org_id, scope.value);
    if (!account) http::invalid_field("scope.value", "names no account of your organization");
    r.brand_id = account->brand_id;
  } else if (k == "platform") {
    if (scope.value.empty() || scope.value.size() > 40 ||
        !adapters::make_adapter(scope.value, adapters::Endpoint{})) {
      http::invalid_field("scope.value", "names no platform Herald publishes to (for example weibo, x, mastodon)");
    }
  } else if (k == "campaign") {
    if (!core::is_uuid(scope.value)) http::invalid_field("scope.value", "a campaign id (UUID)");
  } else if (k == "tag") {
    if (scope.value.empty() || scope.value.size() > 100) http::invalid_field("scope.value", "a tag of 1 to 100 characters");
  } else {
    http::invalid_field("scope.kind", "must be one of all, brand, platform, account, campaign, tag");
  }
  return r;
}

void Freezes::require_freeze_permission(const iam::Principal& p, const std::string& brand_id,
                                        const std::string& kind) {
  // A campaign's own pause (campaign scope owned by its brand, set through the campaigns service)
  // is also its managers' to set and lift: it holds nothing but that campaign's posts.
  if (kind == "campaign" && !brand_id.empty() && p.can(perm::kCampaignManage, brand_id)) return;
  require_crisis_permission(identity_, p, perm::kCrisisFreeze, brand_id);
}

bool Freezes::may_see(const iam::Principal& p, const FreezeRecord& f) const {
  if (f.org_id != p.org_id) return false;
  // Everyone in the organization sees what holds their posts; a brand's freeze, its readers.
  return f.brand_id.empty() || p.can(perm::kBrandRead, f.brand_id);
}

contracts::gate::Fence::Applied Freezes::publish_fence(std::int64_t epoch, const std::vector<std::string>& scopes) {
  contracts::gate::Fence fence(keys_);
  auto lease = redis_.lease();
  return fence.publish(*lease, epoch, scopes, now_ms());
}

void Freezes::notify(const std::string& type, const FreezeRecord& f) {
  if (!notifier_) return;
  nlohmann::json msg = {{"type", type}, {"freeze", to_json(f)}};
  notifier_(f.brand_id.empty() ? "org:" + f.org_id : f.brand_id, msg.dump());
}

contracts::HeldPreview Freezes::preview(const iam::Principal& p, const FreezeScope& scope) {
  auto r = resolve(p, scope);
  require_freeze_permission(p, r.brand_id);
  return preview_.preview(r.ref, now_ms(), options_.preview_items);
}

Acknowledgement Freezes::set(const iam::Principal& p, const FreezeInput& in, const std::string& campaign_brand_id) {
  const auto started = clock_.steady_now();
  reason_field("reason", in.reason);
  const auto now = now_ms();
  if (in.expires_at_ms) {
    if (*in.expires_at_ms <= now) http::invalid_field("expires_at", "is in the past");
    if (*in.expires_at_ms > now + kMaxExpiryMs) http::invalid_field("expires_at", "at most 90 days ahead");
  }
  auto r = resolve(p, in.scope);
  if (!campaign_brand_id.empty()) {
    if (in.scope.kind != "campaign" || !identity_.brand(p.org_id, campaign_brand_id)) {
      http::invalid_field("scope.value", "a campaign's brand must be a brand of your organization");
    }
    r.brand_id = campaign_brand_id;
  }
  require_freeze_permission(p, r.brand_id, in.scope.kind);

  struct Written {
    std::string id;
    std::int64_t epoch = 0;
    std::vector<std::string> scopes;
  };
  auto w = pg_.transact([&](pqxx::work& tx) {
    Written out;
    // The epoch row is the lock that orders freezes and lifts: whoever bumps next sees this one.
    out.epoch = tx.exec_prepared1("crisis_fence_bump")[0].as<std::int64_t>();
    out.id = tx.exec_prepared1("crisis_freeze_insert", p.org_id, in.scope.kind, in.scope.value, nonempty(r.brand_id),
                               in.reason, nonempty(p.user_id), label_of(p), now, in.expires_at_ms, out.epoch)[0]
                 .as<std::string>();
    out.scopes = active_scopes(tx);
    nlohmann::json details = {{"scope", {{"kind", in.scope.kind}, {"value", in.scope.value}}},
                              {"reason", in.reason},
                              {"expires_at", opt_instant(in.expires_at_ms)},
                              {"epoch", out.epoch}};
    identity_.append_audit(tx, iam::Actor::of(p), {"crisis.freeze", "freeze", out.id, r.brand_id, details});
    EvidenceVault::append(tx, p.org_id, iam::Actor::of(p), "freeze", out.id, r.brand_id, details, now);
    return out;
  });

  // Raise the fence. Another freeze or lift may have published a newer epoch first: its scopes
  // were read after this commit (it waited on the epoch row), so they include this freeze; the
  // check below makes sure before acknowledging.
  Acknowledgement ack;
  const auto key = scope_key(p.org_id, in.scope);
  try {
    auto applied = publish_fence(w.epoch, w.scopes);
    ack.epoch = applied.epoch;
    if (applied.applied) {
      for (const auto& s : applied.in_flight) ack.in_flight.push_back({s.send_key, s.worker, s.started_ms});
    } else {
      contracts::gate::Fence fence(keys_);
      contracts::gate::SendGate gate(keys_);
      auto lease = redis_.lease();
      auto scopes = fence.scopes(*lease);
      if (std::find(scopes.begin(), scopes.end(), key) == scopes.end()) {
        // Not covered yet: publish PostgreSQL's current state (a newer epoch, with this freeze).
        auto current = pg_.transact([&](pqxx::work& tx) {
          return std::pair{tx.exec_prepared1("crisis_fence_epoch")[0].as<std::int64_t>(), active_scopes(tx)};
        });
        auto again = fence.publish(*lease, current.first, current.second, now_ms());
        ack.epoch = again.epoch;
        scopes = fence.scopes(*lease);
        if (std::find(scopes.begin(), scopes.end(), key) == scopes.end()) {
          throw std::runtime_error("the fence in Redis does not carry the new scope");
        }
      }
      for (const auto& s : gate.in_flight(*lease, now_ms())) ack.in_flight.push_back({s.send_key, s.worker, s.started_ms});
    }
  } catch (const std::exception& e) {
    throw http::HttpError(503, "Service Unavailable",
                          "the freeze is recorded but the send gate's fence could not be raised in Redis (" +
                              std::string(e.what()) +
                              "); it is not acknowledged yet. The fence keeper raises it as soon as Redis answers: "
                              "check GET /api/v1/crisis/freezes/" + w.id + " for acknowledged_at",
                          {{"freeze_id", w.id}});
  }
  const double ack_ms = std::chrono::duration<double, std::milli>(clock_.steady_now() - started).count();
  const auto acked_at = now_ms();

  ack.held = preview_.preview(r.ref, acked_at, options_.preview_items);
  nlohmann::json in_flight = nlohmann::json::array();
  for (const auto& s : ack.in_flight) {
    in_flight.push_back({{"send_key", s.send_key}, {"worker", s.worker}, {"started_at", core::format_instant_ms(s.started_ms)}});
  }
  ack.freeze = pg_.transact([&](pqxx::work& tx) {
    tx.exec_prepared0("crisis_freeze_acknowledge", w.id, acked_at, ack_ms, in_flight.dump(), ack.held.total);
    return freeze_from(tx.exec_prepared1("crisis_freeze_get", w.id, p.org_id));
  });
  notify("crisis.freeze", ack.freeze);
  return ack;
}

FreezeRecord Freezes::get(const iam::Principal& p, const std::string& id) {
  auto f = pg_.transact([&](pqxx::work& tx) -> std::optional<FreezeRecord> {
    auto rows = tx.exec_prepared("crisis_freeze_get", id, p.org_id);
    if (rows.empty()) return std::nullopt;
    return freeze_from(rows[0]);
  });
  if (!f || !may_see(p, *f)) http::not_found("no such freeze");
  return *f;
}

std::vector<FreezeRecord> Freezes::list(const iam::Principal& p, bool active_only, int limit) {
  auto all = pg_.transact([&](pqxx::work& tx) {
    std::vector<FreezeRecord> out;
    for (const auto& r : tx.exec_prepared("crisis_freeze_list", p.org_id, active_only, limit)) {
      out.push_back(freeze_from(r));
    }
    return out;
  });
  std::vector<FreezeRecord> out;
  for (auto& f : all) {
    if (may_see(p, f)) out.push_back(std::move(f));
  }
  return out;
}

FreezeRecord Freezes::lock_in_force(pqxx::work& tx, const iam::Principal& p, const std::string& id,
                                    std::int64_t now) {
  auto rows = tx.exec_prepared("crisis_freeze_lock", id, p.org_id);
  if (rows.empty()) http::not_found("no such freeze");
  auto f = freeze_from(rows[0]);
  if (!may_see(p, f)) http::not_found("no such freeze");
  require_freeze_permission(p, f.brand_id, f.scope.kind);
  if (f.lifted_at_ms) http::conflict("this freeze was already lifted");
  if (!f.active(now)) http::conflict("this freeze has expired; nothing to lift");
  return f;
}

FreezeRecord Freezes::request_lift(const iam::Principal& p, const std::string& id, const std::string& reason) {
  reason_field("reason", reason);
  const auto now = now_ms();
  auto updated = pg_.transact([&](pqxx::work& tx) {
    auto f = lock_in_force(tx, p, id, now);
    if (!f.lift_requested_by.empty()) {
      http::conflict("a lift is already requested (by " + f.lift_requested_label +
                     "); another person with crisis.freeze approves it with POST .../lift");
    }
    tx.exec_prepared0("crisis_freeze_request_lift", id, p.user_id, label_of(p), now, reason);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"crisis.freeze.lift_requested", "freeze", id, f.brand_id, {{"reason", reason}}});
    EvidenceVault::append(tx, p.org_id, iam::Actor::of(p), "lift_request", id, f.brand_id, {{"reason", reason}}, now);
    return freeze_from(tx.exec_prepared1("crisis_freeze_get", id, p.org_id));
  });
  notify("crisis.lift_requested", updated);
  return updated;
}

FreezeRecord Freezes::lift(const iam::Principal& p, const std::string& id) {
  const auto now = now_ms();
  struct Lifted {
    FreezeRecord freeze;
    std::vector<std::string> scopes;
  };
  auto l = pg_.transact([&](pqxx::work& tx) {
    auto f = lock_in_force(tx, p, id, now);
    if (f.lift_requested_by.empty()) {
      http::conflict("lifting takes a request and an approval by someone else: request it first with POST "
                     "/api/v1/crisis/freezes/" + id + "/lift-request");
    }
    if (f.lift_requested_by == p.user_id) {
      http::forbidden("you requested this lift; another person with crisis.freeze must approve it");
    }
    if (f.set_by == p.user_id) {
      http::forbidden("you set this freeze; another person with crisis.freeze must approve lifting it");
    }
    auto epoch = tx.exec_prepared1("crisis_fence_bump")[0].as<std::int64_t>();
    tx.exec_prepared0("crisis_freeze_lift", id, p.user_id, label_of(p), now, epoch);
    nlohmann::json details = {{"requested_by", f.lift_requested_label}, {"reason", f.lift_reason}, {"epoch", epoch}};
    identity_.append_audit(tx, iam::Actor::of(p), {"crisis.freeze.lift", "freeze", id, f.brand_id, details});
    EvidenceVault::append(tx, p.org_id, iam::Actor::of(p), "lift", id, f.brand_id, details, now);
    Lifted out{freeze_from(tx.exec_prepared1("crisis_freeze_get", id, p.org_id)), active_scopes(tx)};
    out.freeze.epoch = epoch;
    return out;
  });
  // Lowering the fence late is safe (sends stay refused a little longer): on a Redis error the
  // fence keeper lowers it within a second of Redis answering.
  try {
    publish_fence(l.freeze.epoch, l.scopes);
  } catch (const std::exception&) {
  }
  notify("crisis.lift", l.freeze);
  return l.freeze;
}

nlohmann::json to_json(const FreezeRecord& f) {
  nlohmann::json lift_request = nullptr;
  if (!f.lift_requested_by.empty()) {
    lift_request = {{"by", f.lift_requested_by},
                    {"by_label", f.lift_requested_label},
                    {"at", opt_instant(f.lift_requested_at_ms)},
                    {"reason", f.lift_reason}};
  }
  nlohmann::json lifted = nullptr;
  if (f.lifted_at_ms) {
    lifted = {{"by", nonempty(f.lifted_by) ? nlohmann::json(f.lifted_by) : nlohmann::json(nullptr)},
              {"by_label", f.lifted_by_label},
              {"at", opt_instant(f.lifted_at_ms)}};
  }
  return {{"id", f.id},
          {"scope", {{"kind", f.scope.kind}, {"value", f.scope.value}}},
          {"brand_id", f.brand_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.brand_id)},
          {"reason", f.reason},
          {"set_by", f.set_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.set_by)},
          {"set_by_label", f.set_by_label},
          {"set_at", core::format_instant_ms(f.set_at_ms)},
          {"expires_at", opt_instant(f.expires_at_ms)},
          {"epoch", f.epoch},
          {"acknowledged_at", opt_instant(f.acknowledged_at_ms)},
          {"ack_ms", f.ack_ms ? nlohmann::json(*f.ack_ms) : nlohmann::json(nullptr)},
          {"in_flight_at_ack", f.in_flight_at_ack},
          {"held_at_ack", f.held_at_ack ? nlohmann::json(*f.held_at_ack) : nlohmann::json(nullptr)},
          {"lift_request", lift_request},
          {"lifted", lifted}};
}

nlohmann::json to_json(const contracts::HeldPreview& h) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : h.items) {
    items.push_back({{"target_id", i.target_id},
                     {"post_id", i.post_id},
                     {"brand_id", i.brand_id},
                     {"account_id", i.account_id},
                     {"platform", i.platform},
                     {"title", i.title},
                     {"state", i.state},
                     {"due_at", core::format_instant_ms(i.due_ms)}});
  }
  return {{"total", h.total},
          {"next_72h", h.next_72h},
          {"exempt", h.exempt},
          {"by_brand", counts_json(h.by_brand, "brand_id")},
          {"by_platform", counts_json(h.by_platform, "platform")},
          {"by_account", counts_json(h.by_account, "account_id")},
          {"by_hour", counts_json(h.by_hour, "hour")},
          {"items", items},
          {"items_truncated", static_cast<std::int64_t>(h.items.size()) < h.total}};
}

}  // namespace herald::crisis
