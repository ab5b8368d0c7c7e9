#include "services/publishing/posts_support.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/capabilities.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"
#include "services/publishing/domain/local_time.hpp"

namespace herald::publishing::detail {

namespace http = core::http;

date::sys_seconds to_sys(std::int64_t ms) { return date::sys_seconds{std::chrono::seconds{ms / 1000}}; }

std::string actor_label(const iam::Principal& p) { return p.email.empty() ? p.user_id : p.email; }

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string hashtagged(const Variant& v) {
  std::string text = v.text;
  for (const auto& h : v.hashtags) {
    std::string tag = h.empty() || h[0] == '#' ? h : "#" + h;
    if (tag.empty() || text.find(tag) != std::string::npos) continue;
    if (!text.empty()) text += ' ';
    text += tag;
  }
  return text;
}

nlohmann::json variant_json(const Variant& v) {
  return {{"account_id", v.account_id},
          {"text", v.text},
          {"media", v.media},
          {"link", v.link ? nlohmann::json(*v.link) : nlohmann::json(nullptr)},
          {"hashtags", v.hashtags},
          {"first_comment", v.first_comment ? nlohmann::json(*v.first_comment) : nlohmann::json(nullptr)},
          {"thread", v.thread}};
}

bool same_content(const Variant& a, const Variant& b) { return variant_json(a) == variant_json(b); }

nlohmann::json snapshot(const PostRecord& p, const std::vector<TargetRecord>& targets) {
  nlohmann::json variants = nlohmann::json::array();
  for (const auto& t : targets) variants.push_back(variant_json(t.content));
  return {{"title", p.title},
          {"content_type", p.content_type},
          {"form", p.form},
          {"campaign_id", p.campaign_id ? nlohmann::json(*p.campaign_id) : nlohmann::json(nullptr)},
          {"tags", p.tags},
          {"notes", p.notes},
          {"sensitive", p.sensitive},
          {"crisis_statement", p.crisis_statement},
          {"scheduled_at", p.scheduled_at_ms ? nlohmann::json(*p.scheduled_at_ms) : nlohmann::json(nullptr)},
          {"zone", p.zone ? nlohmann::json(*p.zone) : nlohmann::json(nullptr)},
          {"variants", variants}};
}

PostFacts facts_of(const PostRecord& p) {
  PostFacts f;
  f.makers = p.makers;
  f.sensitive = p.sensitive;
  f.crisis_statement = p.crisis_statement;
  if (p.scheduled_at_ms) f.slot = to_sys(*p.scheduled_at_ms);
  f.round = p.review_round;
  return f;
}

std::vector<Decision> to_domain(const std::vector<DecisionRecord>& rows) {
  std::vector<Decision> out;
  for (const auto& r : rows) {
    Decision d;
    d.approver = {r.approver_id, r.approver_label, r.approver_role, r.approver_department, r.approver_admin};
    d.verdict = r.verdict == "reject" ? Verdict::kReject : Verdict::kApprove;
    d.stage = r.stage;
    d.round = r.round;
    d.reason = r.reason;
    d.at = date::sys_seconds{std::chrono::seconds{r.decided_at_unix}};
    out.push_back(std::move(d));
  }
  return out;
}

// The local wall time the slot shows in its zone (DESIGN.md section 6); 422 for an unknown zone.
std::string local_wall(const Slot& s) {
  const auto* zone = find_zone(s.zone);
  if (zone == nullptr) http::invalid_field("zone", "unknown IANA time zone '" + s.zone + "'");
  auto local = zone->to_local(to_sys(s.at_ms));
  return format_local(date::floor<std::chrono::seconds>(local));
}

void set_slot(PostRecord& p, const std::optional<Slot>& s) {
  if (!s) {
    p.scheduled_at_ms.reset();
    p.zone.reset();
    p.local_wall.reset();
    return;
  }
  p.local_wall = local_wall(*s);
  p.scheduled_at_ms = s->at_ms;
  p.zone = s->zone;
}

const adapters::Capabilities* capabilities_of(const std::string& platform) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<adapters::Adapter>> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(platform);
  if (it == cache.end()) it = cache.emplace(platform, adapters::make_adapter(platform, adapters::Endpoint{})).first;
  return it->second ? &it->second->capabilities() : nullptr;
}

[[noreturn]] void conflict_with(const std::string& detail, const nlohmann::json& targets) {
  throw http::HttpError(409, "Conflict", detail, {{"targets", targets}});
}

std::string state_list(const std::vector<TargetRecord>& targets) {
  std::string out;
  for (const auto& t : targets) {
    if (!out.empty()) out += ", ";
    out += t.platform + " account " + t.account_id + " is " + std::string(to_string(t.state));
  }
  return out;
}

}  // namespace herald::publishing::detail
