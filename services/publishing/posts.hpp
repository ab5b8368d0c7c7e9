#pragma once
// The publishing workflow: posts and their targets through review, scheduling and the pipeline's
// results (DESIGN.md section 4). Every operation is one PostgreSQL transaction that changes the
// targets as compare-and-sets through lifecycle.advance(), writes the scheduler commands it
// implies into the outbox (schedule.set / schedule.cancel) and the audit row, so "unapproved
// never publishes" holds on every path: a target reaches SCHEDULED only from APPROVED with an
// approval of its current content version, and only then does the scheduler hear of it.
//
// Blocking (call from the blocking pool or a worker thread). Refusals are core::http::HttpError
// (problem.hpp): 403 permission or maker-checker, 404, 409 a state that does not allow it, 412
// a stale If-Match, 422 invalid input (per-variant details under "errors").
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/contracts/publishing/messages.hpp"
#include "services/core/util/clock.hpp"
#include "services/core/util/instant.hpp"
#include "services/publishing/domain/approval_policy.hpp"
#include "services/publishing/domain/lifecycle.hpp"
#include "services/publishing/store/post_store.hpp"

namespace herald::publishing {

struct PostsOptions {
  ApprovalPolicy policy = default_policy();  // one policy for every brand until brand settings exist
  LifecycleOptions lifecycle{};              // edit after approval: back to review
  std::string key_prefix = "herald";         // config redis.key_prefix: names the scheduler's stream
};

// A planned slot: the instant and the IANA zone it was meant in.
struct Slot {
  std::int64_t at_ms = 0;
  std::string zone;
};

struct PostInput {
  std::string brand_id;
  std::string title;
  std::string content_type = "news";
  std::string form = "image_text";
  std::optional<std::string> campaign_id;
  std::vector<std::string> tags;
  std::string notes;
  bool sensitive = false;
  bool crisis_statement = false;
  std::vector<Variant> variants;
  std::optional<Slot> slot;
};

// PATCH: absent fields stay; `variants` replaces the content of the accounts it names and adds
// the accounts it does not (removing an account is cancelling its target).
struct PostChange {
  std::optional<std::string> title, content_type, form, notes;
  bool set_campaign = false;
  std::optional<std::string> campaign_id;
  std::optional<std::vector<std::string>> tags;
  std::optional<bool> sensitive, crisis_statement;
  std::optional<std::vector<Variant>> variants;
  bool set_slot = false;
  std::optional<Slot> slot;  // with set_slot: nullopt clears the planned slot
};

struct PostView {
  PostRecord post;
  std::vector<TargetRecord> targets;
  Evaluation review;  // of the current round (empty when never submitted)
};

enum class ApplyOutcome { kApplied, kDuplicate, kStale, kRefused, kUnknownTarget };

struct ApplyResult {
  ApplyOutcome outcome = ApplyOutcome::kApplied;
  std::string reason;
};

class Posts {
 public:
  Posts(PostStore& store, iam::Identity& identity, contracts::AccountDirectory& directory, const core::Clock& clock,
        PostsOptions options = {});

  PostView create(const iam::Principal& p, const PostInput& in);
  PostView get(const iam::Principal& p, const std::string& id);
  PostView edit(const iam::Principal& p, const std::string& id, const PostChange& change,
                std::optional<int> expected_version);
  PostView submit(const iam::Principal& p, const std::string& id);
  PostView decide(const iam::Principal& p, const std::string& id, Verdict verdict, const std::string& reason,
                  const std::optional<std::string>& stage);
  PostView schedule(const iam::Principal& p, const std::string& id, const Slot& slot);
  PostView cancel(const iam::Principal& p, const std::string& id);
  // The review lane after a freeze: HELD targets back to APPROVED, without a slot (needs
  // post.publish on their accounts). 409 when none is HELD.
  PostView release(const iam::Principal& p, const std::string& id);
  nlohmann::json history(const iam::Principal& p, const std::string& id);
  // The calendar, limited to the brands the caller may read.
  CalendarPage list(const iam::Principal& p, CalendarFilter filter);

  // publishing_events: applies one TargetEvent envelope (idempotent on its id).
  ApplyResult apply_event(const contracts::Envelope& envelope);
  // IN_REVIEW targets whose approval deadline passed -> EXPIRED. Returns how many targets.
  int expire_due();

  // Called after a commit that wrote outbox rows (the relay's wake-up).
  void on_outbox(std::function<void()> fn) { on_outbox_ = std::move(fn); }
  [[nodiscard]] const PostsOptions& options() const { return options_; }

 private:
  PostView view(pqxx::work& tx, const PostRecord& post);
  Evaluation evaluate_round(pqxx::work& tx, const PostRecord& post);
  void validate_variants(const std::string& org_id, const std::string& brand_id, const std::vector<Variant>& variants,
                         std::vector<std::string>* platforms);
  void move(pqxx::work& tx, const PostRecord& post, TargetRecord& t, Event event, const std::string& actor,
            const nlohmann::json& detail = {});
  void emit_set(pqxx::work& tx, const PostRecord& post, const TargetRecord& t);
  void emit_cancel(pqxx::work& tx, const TargetRecord& t, std::int64_t content_version);
  [[nodiscard]] std::int64_t now_ms() const;
  void notify();

  PostStore& store_;
  iam::Identity& identity_;
  contracts::AccountDirectory& directory_;
  const core::Clock& clock_;
  PostsOptions options_;
  contracts::StreamNames streams_;
  std::function<void()> on_outbox_;
};

// RFC 3339 instants (core/util/instant.hpp), as the API reads them.
using core::parse_instant_ms;
// The DispatchJob a scheduled target becomes (the approved content, the freeze scope).
contracts::DispatchJob dispatch_job(const PostRecord& post, const TargetRecord& t);

}  // namespace herald::publishing
