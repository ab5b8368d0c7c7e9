#include "services/publishing/store/post_store.hpp"

namespace herald::publishing {
namespace {

std::optional<std::string> opt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

std::vector<std::string> strings(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  auto j = nlohmann::json::parse(f.as<std::string>(), nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

PostRecord post_from(const pqxx::row& r) {
  PostRecord p;
  p.id = r[0].as<std::string>();
  p.org_id = r[1].as<std::string>();
  p.brand_id = r[2].as<std::string>();
  p.title = r[3].as<std::string>();
  p.content_type = r[4].as<std::string>();
  p.form = r[5].as<std::string>();
  p.campaign_id = opt(r[6]);
  p.tags = strings(r[7]);
  p.notes = r[8].as<std::string>();
  p.sensitive = r[9].as<bool>();
  p.crisis_statement = r[10].as<bool>();
  p.scheduled_at = opt(r[11]);
  if (!r[12].is_null()) p.scheduled_at_ms = r[12].as<std::int64_t>();
  p.zone = opt(r[13]);
  p.local_wall = opt(r[14]);
  p.review_round = r[15].as<std::int64_t>();
  p.makers = strings(r[16]);
  p.version = r[17].as<int>();
  p.created_by = r[18].is_null() ? "" : r[18].as<std::string>();
  p.created_at = r[19].as<std::string>();
  p.updated_at = r[20].as<std::string>();
  return p;
}

TargetRecord target_from(const pqxx::row& r) {
  TargetRecord t;
  t.id = r[0].as<std::string>();
  t.post_id = r[1].as<std::string>();
  t.org_id = r[2].as<std::string>();
  t.brand_id = r[3].as<std::string>();
  t.account_id = r[4].as<std::string>();
  t.platform = r[5].as<std::string>();
  t.content.account_id = t.account_id;
  t.content.text = r[6].as<std::string>();
  t.content.media = nlohmann::json::parse(r[7].as<std::string>());
  t.content.link = opt(r[8]);
  t.content.hashtags = strings(r[9]);
  t.content.first_comment = opt(r[10]);
  t.content.thread = strings(r[11]);
  auto state = state_from_string(r[12].as<std::string>());
  if (!state) throw std::runtime_error("post_targets.state holds an unknown state");
  t.state = *state;
  t.content_version = r[13].as<std::int64_t>();
  if (!r[14].is_null()) t.approved_version = r[14].as<std::int64_t>();
  t.marker = r[15].as<std::string>();
  t.attempt = r[16].as<int>();
  t.platform_post_id = opt(r[17]);
  t.url = opt(r[18]);
  t.first_comment_id = opt(r[19]);
  t.last_error = opt(r[20]);
  t.last_error_class = opt(r[21]);
  t.created_at = r[22].as<std::string>();
  t.updated_at = r[23].as<std::string>();
  return t;
}

DecisionRecord decision_from(const pqxx::row& r) {
  DecisionRecord d;
  d.id = r[0].as<std::int64_t>();
  d.round = r[1].as<std::int64_t>();
  d.stage = r[2].as<std::string>();
  d.verdict = r[3].as<std::string>();
  d.reason = r[4].as<std::string>();
  d.approver_id = r[5].as<std::string>();
  d.approver_label = r[6].as<std::string>();
  d.approver_role = r[7].as<std::string>();
  d.approver_department = r[8].as<std::string>();
  d.approver_admin = r[9].as<bool>();
  d.decided_at_unix = r[10].as<std::int64_t>();
  d.decided_at = r[11].as<std::string>();
  return d;
}

std::optional<double> ms_param(const std::optional<std::int64_t>& ms) {
  if (!ms) return std::nullopt;
  return static_cast<double>(*ms);
}

}  // namespace

nlohmann::json PostStore::strings_json(const std::vector<std::string>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

std::string PostStore::insert_post(pqxx::work& tx, const PostRecord& p) {
  std::optional<std::string> created_by;
  if (!p.created_by.empty()) created_by = p.created_by;
  auto r = tx.exec_prepared1("pub_post_insert", p.org_id, p.brand_id, p.title, p.content_type, p.form, p.campaign_id,
                             strings_json(p.tags).dump(), p.notes, p.sensitive, p.crisis_statement,
                             ms_param(p.scheduled_at_ms), p.zone, p.local_wall, strings_json(p.makers).dump(),
                             created_by);
  return r[0].as<std::string>();
}

std::string PostStore::insert_target(pqxx::work& tx, const PostRecord& p, const std::string& platform,
                                     const Variant& v) {
  auto r = tx.exec_prepared1("pub_target_insert", p.id, p.org_id, p.brand_id, v.account_id, platform, v.text,
                             v.media.dump(), v.link, strings_json(v.hashtags).dump(), v.first_comment,
                             strings_json(v.thread).dump());
  return r[0].as<std::string>();
}

std::optional<PostRecord> PostStore::post(pqxx::work& tx, const std::string& org_id, const std::string& id,
                                          bool for_update) {
  auto r = tx.exec_prepared(for_update ? "pub_post_lock" : "pub_post_get", id, org_id);
  if (r.empty()) return std::nullopt;
  return post_from(r[0]);
}

std::optional<PostRecord> PostStore::lock_post_any(pqxx::work& tx, const std::string& id) {
  auto r = tx.exec_prepared("pub_post_lock_any", id);
  if (r.empty()) return std::nullopt;
  return post_from(r[0]);
}

int PostStore::update_post(pqxx::work& tx, const PostRecord& p) {
  auto r = tx.exec_prepared1("pub_post_update", p.id, p.title, p.content_type, p.form, p.campaign_id,
                             strings_json(p.tags).dump(), p.notes, p.sensitive, p.crisis_statement,
                             ms_param(p.scheduled_at_ms), p.zone, p.local_wall, p.review_round,
                             strings_json(p.makers).dump());
  return r[0].as<int>();
}

std::vector<TargetRecord> PostStore::targets(pqxx::work& tx, const std::string& post_id, bool for_update) {
  std::vector<TargetRecord> out;
  for (const auto& r : tx.exec_prepared(for_update ? "pub_targets_lock" : "pub_targets_of", post_id)) {
    out.push_back(target_from(r));
  }
  return out;
}

std::optional<std::string> PostStore::post_of_target(pqxx::work& tx, const std::string& target_id) {
  auto r = tx.exec_prepared("pub_target_post", target_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

void PostStore::set_content(pqxx::work& tx, const std::string& target_id, const Variant& v) {
  tx.exec_prepared("pub_target_content", target_id, v.text, v.media.dump(), v.link, strings_json(v.hashtags).dump(),
                   v.first_comment, strings_json(v.thread).dump());
}

bool PostStore::cas(pqxx::work& tx, const std::string& target_id, State from, const Target& to, int attempt) {
  auto r = tx.exec_prepared("pub_target_cas", target_id, std::string(to_string(from)), std::string(to_string(to.state)),
                            to.content_version, to.approved_version, attempt);
  return !r.empty();
}

void PostStore::mark_published(pqxx::work& tx, const std::string& target_id, const std::string& platform_post_id,
                               const std::string& url, const std::string& first_comment_id) {
  auto nullable = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : s; };
  tx.exec_prepared("pub_target_published", target_id, nullable(platform_post_id), nullable(url),
                   nullable(first_comment_id));
}

void PostStore::mark_error(pqxx::work& tx, const std::string& target_id, const std::string& message,
                           const std::string& error_class) {
  tx.exec_prepared("pub_target_error", target_id, message, error_class);
}

void PostStore::add_transition(pqxx::work& tx, const std::string& post_id, const std::string& target_id, State from,
                               State to, Event event, const std::string& actor, const nlohmann::json& detail) {
  tx.exec_prepared("pub_transition_insert", post_id, target_id, std::string(to_string(from)),
                   std::string(to_string(to)), std::string(to_string(event)), actor,
                   detail.is_object() ? detail.dump() : std::string("{}"));
}

std::vector<TransitionRecord> PostStore::transitions(pqxx::work& tx, const std::string& post_id) {
  std::vector<TransitionRecord> out;
  for (const auto& r : tx.exec_prepared("pub_transitions_of", post_id)) {
    out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                   r[4].as<std::string>(), nlohmann::json::parse(r[5].as<std::string>()), r[6].as<std::string>()});
  }
  return out;
}

std::int64_t PostStore::add_decision(pqxx::work& tx, const std::string& post_id, const DecisionRecord& d) {
  auto r = tx.exec_prepared1("pub_decision_insert", post_id, d.round, d.stage, d.verdict, d.reason, d.approver_id,
                             d.approver_label, d.approver_role, d.approver_department, d.approver_admin,
                             d.decided_at_unix);
  return r[0].as<std::int64_t>();
}

std::vector<DecisionRecord> PostStore::decisions(pqxx::work& tx, const std::string& post_id,
                                                 std::optional<std::int64_t> round) {
  std::vector<DecisionRecord> out;
  for (const auto& r : tx.exec_prepared("pub_decisions_of", post_id, round)) out.push_back(decision_from(r));
  return out;
}

void PostStore::add_version(pqxx::work& tx, const std::string& post_id, int version, const nlohmann::json& snapshot,
                            const std::string& changed_by) {
  tx.exec_prepared("pub_version_insert", post_id, version, snapshot.dump(), changed_by);
}

std::vector<VersionRecord> PostStore::versions(pqxx::work& tx, const std::string& post_id) {
  std::vector<VersionRecord> out;
  for (const auto& r : tx.exec_prepared("pub_versions_of", post_id)) {
    out.push_back({r[0].as<int>(), nlohmann::json::parse(r[1].as<std::string>()), r[2].as<std::string>(),
                   r[3].as<std::string>()});
  }
  return out;
}

void PostStore::add_outbox(pqxx::work& tx, const std::string& stream, const std::string& type,
                           const std::string& target_id, const std::string& payload) {
  tx.exec_prepared("pub_outbox_insert", stream, type, target_id, payload);
}

std::vector<OutboxRow> PostStore::outbox_batch(pqxx::work& tx, int limit) {
  std::vector<OutboxRow> out;
  for (const auto& r : tx.exec_prepared("pub_outbox_batch", limit)) {
    out.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>()});
  }
  return out;
}

void PostStore::delete_outbox(pqxx::work& tx, std::int64_t id) { tx.exec_prepared("pub_outbox_delete", id); }

bool PostStore::mark_processed(pqxx::work& tx, const std::string& event_id) {
  return !tx.exec_prepared("pub_processed_insert", event_id).empty();
}

std::vector<std::string> PostStore::review_expiry_candidates(pqxx::work& tx, std::int64_t slot_before_ms,
                                                             int limit) {
  std::vector<std::string> out;
  for (const auto& r : tx.exec_prepared("pub_review_expiry_candidates", static_cast<double>(slot_before_ms), limit)) {
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

CalendarPage PostStore::list(pqxx::work& tx, const std::string& org_id, const CalendarFilter& f) {
  CalendarPage page;
  std::optional<std::string> after_id;
  if (f.after_sort_key) after_id = f.after_id;
  auto rows = tx.exec_prepared("pub_post_list", org_id, f.from_ms, f.to_ms, f.brand_id, f.account_id, f.campaign_id,
                               f.status, f.tag, f.after_sort_key, after_id, f.limit + 1);
  for (const auto& r : rows) {
    if (static_cast<int>(page.posts.size()) == f.limit) {
      const auto& last = rows[static_cast<pqxx::result::size_type>(f.limit - 1)];
      page.next_cursor = std::to_string(last[21].as<std::int64_t>()) + "_" + last[0].as<std::string>();
      break;
    }
    page.posts.push_back(post_from(r));
    page.targets.push_back(nlohmann::json::parse(r[22].as<std::string>()));
  }
  return page;
}

}  // namespace herald::publishing
