#include "services/contracts/publishing/messages.hpp"

#include <stdexcept>

namespace herald::contracts {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument(what); }

const json& member(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) bad(std::string("missing field '") + name + "'");
  return *it;
}

std::string req_string(const json& j, const char* name) {
  const auto& v = member(j, name);
  if (!v.is_string()) bad(std::string("field '") + name + "' must be a string");
  return v.get<std::string>();
}

std::string opt_string(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) bad(std::string("field '") + name + "' must be a string");
  return it->get<std::string>();
}

std::optional<std::string> nullable_string(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad(std::string("field '") + name + "' must be a string");
  return it->get<std::string>();
}

std::int64_t opt_int(const json& j, const char* name, std::int64_t fallback = 0) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) bad(std::string("field '") + name + "' must be an integer");
  return it->get<std::int64_t>();
}

std::vector<std::string> string_list(const json& j, const char* name) {
  std::vector<std::string> out;
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) bad(std::string("field '") + name + "' must be an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) bad(std::string("field '") + name + "' must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

json nullable(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

constexpr std::string_view kOutcomes[] = {"dispatched", "held",   "sending", "published",
                                          "retry",      "failed", "unknown", "missed"};

}  // namespace

std::vector<std::pair<std::string, std::string>> to_fields(const Envelope& e) {
  json j{{"type", e.type}, {"v", e.v}, {"id", e.id}, {"ts", e.ts_ms}, {"trace_id", e.trace_id}, {"data", e.data}};
  return {{std::string(kPayloadField), j.dump()}};
}

Envelope envelope_from_payload(std::string_view payload) {
  auto j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) bad("payload is not a JSON object");
  Envelope e;
  e.type = req_string(j, "type");
  e.v = static_cast<int>(opt_int(j, "v", 1));
  e.id = req_string(j, "id");
  if (e.id.empty()) bad("field 'id' is empty");
  e.ts_ms = opt_int(j, "ts");
  e.trace_id = opt_string(j, "trace_id");
  if (auto it = j.find("data"); it != j.end()) {
    if (!it->is_object()) bad("field 'data' must be an object");
    e.data = *it;
  }
  return e;
}

json to_json(const DispatchJob& job) {
  json media = json::array();
  for (const auto& m : job.content.media) {
    media.push_back({{"kind", m.kind},
                     {"url", m.url},
                     {"mime_type", m.mime_type},
                     {"bytes", m.bytes},
                     {"width", m.width},
                     {"height", m.height},
                     {"duration_s", m.duration_s},
                     {"alt_text", m.alt_text}});
  }
  return {{"target_id", job.target_id},
          {"post_id", job.post_id},
          {"org_id", job.org_id},
          {"brand_id", job.brand_id},
          {"account_id", job.account_id},
          {"platform", job.platform},
          {"campaign_id", job.campaign_id},
          {"tags", job.tags},
          {"crisis_statement", job.crisis_statement},
          {"content_version", job.content_version},
          {"due_at_ms", job.due_at_ms},
          {"attempt", job.attempt},
          {"marker", job.marker},
          {"content",
           {{"text", job.content.text},
            {"media", media},
            {"link", nullable(job.content.link)},
            {"title", nullable(job.content.title)},
            {"thread", job.content.thread},
            {"first_comment", nullable(job.content.first_comment)}}}};
}

DispatchJob dispatch_job_from_json(const json& j) {
  if (!j.is_object()) bad("dispatch job is not an object");
  DispatchJob job;
  job.target_id = req_string(j, "target_id");
  job.post_id = opt_string(j, "post_id");
  job.org_id = req_string(j, "org_id");
  job.brand_id = req_string(j, "brand_id");
  job.account_id = req_string(j, "account_id");
  job.platform = req_string(j, "platform");
  job.campaign_id = opt_string(j, "campaign_id");
  job.tags = string_list(j, "tags");
  if (auto it = j.find("crisis_statement"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) bad("field 'crisis_statement' must be a boolean");
    job.crisis_statement = it->get<bool>();
  }
  job.content_version = opt_int(j, "content_version", 1);
  job.due_at_ms = opt_int(j, "due_at_ms");
  job.attempt = opt_int(j, "attempt", 1);
  job.marker = opt_string(j, "marker");
  const auto& c = member(j, "content");
  if (!c.is_object()) bad("field 'content' must be an object");
  job.content.text = opt_string(c, "text");
  job.content.link = nullable_string(c, "link");
  job.content.title = nullable_string(c, "title");
  job.content.thread = string_list(c, "thread");
  job.content.first_comment = nullable_string(c, "first_comment");
  if (auto it = c.find("media"); it != c.end() && !it->is_null()) {
    if (!it->is_array()) bad("field 'content.media' must be an array");
    for (const auto& m : *it) {
      if (!m.is_object()) bad("field 'content.media' must hold objects");
      MediaRef r;
      r.kind = opt_string(m, "kind");
      if (r.kind != "image" && r.kind != "video") bad("media kind must be image or video");
      r.url = req_string(m, "url");
      r.mime_type = opt_string(m, "mime_type");
      r.bytes = opt_int(m, "bytes");
      r.width = static_cast<int>(opt_int(m, "width"));
      r.height = static_cast<int>(opt_int(m, "height"));
      if (auto d = m.find("duration_s"); d != m.end() && d->is_number()) r.duration_s = d->get<double>();
      r.alt_text = opt_string(m, "alt_text");
      job.content.media.push_back(std::move(r));
    }
  }
  return job;
}

std::string_view to_string(Outcome o) { return kOutcomes[static_cast<int>(o)]; }

std::optional<Outcome> outcome_from_string(std::string_view s) {
  for (std::size_t i = 0; i < std::size(kOutcomes); ++i) {
    if (kOutcomes[i] == s) return static_cast<Outcome>(i);
  }
  return std::nullopt;
}

Envelope to_envelope(const TargetEvent& e, std::string id, std::int64_t ts_ms, std::string trace_id) {
  Envelope env;
  env.type = "target." + std::string(to_string(e.outcome));
  env.id = std::move(id);
  env.ts_ms = ts_ms;
  env.trace_id = std::move(trace_id);
  env.data = {{"target_id", e.target_id},
              {"org_id", e.org_id},
              {"content_version", e.content_version},
              {"attempt", e.attempt},
              {"at_ms", e.at_ms},
              {"worker", e.worker},
              {"platform_post_id", e.platform_post_id},
              {"url", e.url},
              {"first_comment_id", e.first_comment_id},
              {"error_class", e.error_class},
              {"error_code", e.error_code},
              {"error_message", e.error_message},
              {"retry_at_ms", e.retry_at_ms}};
  return env;
}

TargetEvent target_event_from(const Envelope& env) {
  constexpr std::string_view prefix = "target.";
  if (env.type.rfind(prefix, 0) != 0) bad("not a target event: '" + env.type + "'");
  auto o = outcome_from_string(std::string_view(env.type).substr(prefix.size()));
  if (!o) bad("unknown target outcome '" + env.type + "'");
  const auto& d = env.data;
  TargetEvent e;
  e.outcome = *o;
  e.target_id = req_string(d, "target_id");
  e.org_id = opt_string(d, "org_id");
  e.content_version = opt_int(d, "content_version", 1);
  e.attempt = opt_int(d, "attempt", 1);
  e.at_ms = opt_int(d, "at_ms", env.ts_ms);
  e.worker = opt_string(d, "worker");
  e.platform_post_id = opt_string(d, "platform_post_id");
  e.url = opt_string(d, "url");
  e.first_comment_id = opt_string(d, "first_comment_id");
  e.error_class = opt_string(d, "error_class");
  e.error_code = opt_string(d, "error_code");
  e.error_message = opt_string(d, "error_message");
  e.retry_at_ms = opt_int(d, "retry_at_ms");
  return e;
}

}  // namespace herald::contracts
