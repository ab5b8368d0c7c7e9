#pragma once
// PostgreSQL side of the publishing module: posts, targets (one per post x account), review
// decisions, snapshots, transitions, the scheduler-command outbox and the applied event ids.
// Blocking: call from the blocking pool or a worker thread. The functions taking a pqxx::work&
// run inside the caller's transaction, so a workflow (services/publishing/posts.hpp) commits a
// state change, its outbox rows and its audit row together.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "services/core/pg/pool.hpp"
#include "services/publishing/domain/lifecycle.hpp"

namespace herald::publishing {

// One account's version of the post's content.
struct Variant {
  std::string account_id;
  std::string text;
  // [{kind, url, mime_type, bytes, width, height, duration_s, alt_text}]
  nlohmann::json media = nlohmann::json::array();
  std::optional<std::string> link;
  std::vector<std::string> hashtags;
  std::optional<std::string> first_comment;
  std::vector<std::string> thread;
};

struct PostRecord {
  std::string id, org_id, brand_id;
  std::string title;
  std::string content_type = "news";
  std::string form = "image_text";
  std::optional<std::string> campaign_id;
  std::vector<std::string> tags;
  std::string notes;
  bool sensitive = false;
  bool crisis_statement = false;
  std::optional<std::string> scheduled_at;         // ISO 8601 UTC (read side)
  std::optional<std::int64_t> scheduled_at_ms;     // the planned instant
  std::optional<std::string> zone, local_wall;
  std::int64_t review_round = 0;
  std::vector<std::string> makers;
  int version = 1;
  std::string created_by;
  std::string created_at, updated_at;
};

struct TargetRecord {
  std::string id, post_id, org_id, brand_id, account_id, platform;
  Variant content;
  State state = State::kDraft;
  std::int64_t content_version = 1;
  std::optional<std::int64_t> approved_version;
  std::string marker;
  int attempt = 1;
  std::optional<std::string> platform_post_id, url, first_comment_id, last_error, last_error_class;
  std::string created_at, updated_at;

  [[nodiscard]] Target lifecycle() const { return Target{state, content_version, approved_version}; }
};

struct DecisionRecord {
  std::int64_t id = 0;
  std::int64_t round = 0;
  std::string stage, verdict, reason;
  std::string approver_id, approver_label, approver_role, approver_department;
  bool approver_admin = false;
  std::int64_t decided_at_unix = 0;
  std::string decided_at;
};

struct TransitionRecord {
  std::string target_id, from_state, to_state, event, actor;
  nlohmann::json detail;
  std::string at;
};

struct VersionRecord {
  int version = 0;
  nlohmann::json snapshot;
  std::string changed_by, at;
};

struct OutboxRow {
  std::int64_t id = 0;
  std::string stream, payload;
};

struct CalendarFilter {
  std::optional<std::int64_t> from_ms, to_ms;
  std::optional<std::string> brand_id, account_id, campaign_id, status, tag;
  std::optional<std::int64_t> after_sort_key;  // cursor
  std::string after_id;
  int limit = 100;
};

struct CalendarPage {
  std::vector<PostRecord> posts;
  // Beside each post: its targets as [{id, account_id, platform, state}], in target order.
  std::vector<nlohmann::json> targets;
  std::optional<std::string> next_cursor;
};

class PostStore {
 public:
  explicit PostStore(core::pg::Pool& pool) : pool_(pool) {}

  template <class F>
  auto transact(F&& f) {
    return pool_.transact(std::forward<F>(f));
  }

  static std::string insert_post(pqxx::work& tx, const PostRecord& p);
  // The target's marker ("hr" + its id's hex) is unique to it and kept across attempts: the
  // read-back of uncertain sends looks for it (adapters place it, marker.hpp).
  static std::string insert_target(pqxx::work& tx, const PostRecord& p, const std::string& platform,
                                   const Variant& v);
  static std::optional<PostRecord> post(pqxx::work& tx, const std::string& org_id, const std::string& id,
                                        bool for_update);
  static std::optional<PostRecord> lock_post_any(pqxx::work& tx, const std::string& id);
  // Writes the editable fields; returns the new version.
  static int update_post(pqxx::work& tx, const PostRecord& p);
  static std::vector<TargetRecord> targets(pqxx::work& tx, const std::string& post_id, bool for_update);
  static std::optional<std::string> post_of_target(pqxx::work& tx, const std::string& target_id);
  static void set_content(pqxx::work& tx, const std::string& target_id, const Variant& v);
  // Compare-and-set of the lifecycle part: false when the stored state is no longer `from`.
  static bool cas(pqxx::work& tx, const std::string& target_id, State from, const Target& to, int attempt);
  static void mark_published(pqxx::work& tx, const std::string& target_id, const std::string& platform_post_id,
                             const std::string& url, const std::string& first_comment_id);
  static void mark_error(pqxx::work& tx, const std::string& target_id, const std::string& message,
                         const std::string& error_class);
  static void add_transition(pqxx::work& tx, const std::string& post_id, const std::string& target_id, State from,
                             State to, Event event, const std::string& actor, const nlohmann::json& detail = {});
  static std::vector<TransitionRecord> transitions(pqxx::work& tx, const std::string& post_id);
  static std::int64_t add_decision(pqxx::work& tx, const std::string& post_id, const DecisionRecord& d);
  // round nullopt: every round.
  static std::vector<DecisionRecord> decisions(pqxx::work& tx, const std::string& post_id,
                                               std::optional<std::int64_t> round);
  static void add_version(pqxx::work& tx, const std::string& post_id, int version, const nlohmann::json& snapshot,
                          const std::string& changed_by);
  static std::vector<VersionRecord> versions(pqxx::work& tx, const std::string& post_id);
  static void add_outbox(pqxx::work& tx, const std::string& stream, const std::string& type,
                         const std::string& target_id, const std::string& payload);
  // The oldest rows, locked (SKIP LOCKED: several relays never take the same row).
  static std::vector<OutboxRow> outbox_batch(pqxx::work& tx, int limit);
  static void delete_outbox(pqxx::work& tx, std::int64_t id);
  // false: the event id was applied before.
  static bool mark_processed(pqxx::work& tx, const std::string& event_id);
  static std::vector<std::string> review_expiry_candidates(pqxx::work& tx, std::int64_t slot_before_ms, int limit);
  static CalendarPage list(pqxx::work& tx, const std::string& org_id, const CalendarFilter& f);

  static nlohmann::json strings_json(const std::vector<std::string>& v);

 private:
  core::pg::Pool& pool_;
};

}  // namespace herald::publishing
