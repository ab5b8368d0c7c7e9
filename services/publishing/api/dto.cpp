// JSON views of posts for the API.
#include "services/publishing/api/context.hpp"
#include "services/publishing/domain/local_time.hpp"

namespace herald::publishing {
namespace {

template <class T>
nlohmann::json opt_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string post_status(const std::vector<TargetRecord>& targets) {
  std::vector<std::string> states;
  for (const auto& t : targets) states.emplace_back(to_string(t.state));
  return aggregate_status(states);
}

nlohmann::json review_json(const PostRecord& p, const Evaluation& e) {
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& s : e.stages) {
    stages.push_back(
        {{"name", s.name}, {"required", s.required}, {"approved_by", s.approved_by}, {"complete", s.complete}});
  }
  return {{"round", p.review_round},
          {"complete", e.complete},
          {"rejected", e.rejected},
          {"expired", e.expired},
          {"expedited", e.expedited},
          {"current_stage", e.current_stage ? nlohmann::json(e.current_stage_name) : nlohmann::json(nullptr)},
          {"stages", stages},
          {"missing", e.missing},
          {"deadline", e.deadline ? nlohmann::json(format_utc(*e.deadline)) : nlohmann::json(nullptr)},
          {"rejection_reason", e.rejection ? nlohmann::json(e.rejection->reason) : nlohmann::json(nullptr)}};
}

}  // namespace

std::string aggregate_status(const std::vector<std::string>& states) {
  std::string status;
  for (const auto& s : states) {
    if (s == "CANCELLED") continue;
    if (status.empty()) {
      status = s;
    } else if (status != s) {
      return "MIXED";
    }
  }
  return status.empty() ? "CANCELLED" : status;
}

nlohmann::json to_json(const PostView& v) {
  const auto& p = v.post;
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : v.targets) {
    nlohmann::json allowed = nlohmann::json::array();
    for (auto e : allowed_events(t.state)) allowed.push_back(to_string(e));
    targets.push_back({{"id", t.id},
                       {"account_id", t.account_id},
                       {"platform", t.platform},
                       {"state", to_string(t.state)},
                       {"content_version", t.content_version},
                       {"approved_version", opt_json(t.approved_version)},
                       {"attempt", t.attempt},
                       {"text", t.content.text},
                       {"media", t.content.media},
                       {"link", opt_json(t.content.link)},
                       {"hashtags", t.content.hashtags},
                       {"first_comment", opt_json(t.content.first_comment)},
                       {"thread", t.content.thread},
                       {"platform_post_id", opt_json(t.platform_post_id)},
                       {"url", opt_json(t.url)},
                       {"last_error", opt_json(t.last_error)},
                       {"last_error_class", opt_json(t.last_error_class)},
                       {"allowed_events", allowed},
                       {"updated_at", t.updated_at}});
  }
  return {{"id", p.id},
          {"brand_id", p.brand_id},
          {"title", p.title},
          {"content_type", p.content_type},
          {"form", p.form},
          {"campaign_id", opt_json(p.campaign_id)},
          {"tags", p.tags},
          {"notes", p.notes},
          {"sensitive", p.sensitive},
          {"crisis_statement", p.crisis_statement},
          {"scheduled_at", opt_json(p.scheduled_at)},
          {"zone", opt_json(p.zone)},
          {"local_time", opt_json(p.local_wall)},
          {"status", post_status(v.targets)},
          {"version", p.version},
          {"review", review_json(p, v.review)},
          {"targets", targets},
          {"created_by", p.created_by},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

}  // namespace herald::publishing
