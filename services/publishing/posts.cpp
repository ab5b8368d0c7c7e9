// The Posts workflow: creating, reading, editing and listing posts, and what every step shares
// (views, transitions, outbox commands). Review and scheduling: posts_review.cpp; variant
// validation: posts_validation.cpp; pipeline events: posts_events.cpp.
#include "services/publishing/posts.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/capabilities.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/contracts/publishing/commands.hpp"
#include "services/core/crypto/random.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"
#include "services/publishing/domain/local_time.hpp"
#include "services/publishing/posts_support.hpp"

namespace herald::publishing {

namespace http = core::http;
namespace perm = iam::perm;
using contracts::Outcome;
using namespace detail;  // NOLINT: the module's own shared helpers (posts_support.hpp)

contracts::DispatchJob dispatch_job(const PostRecord& post, const TargetRecord& t) {
  contracts::DispatchJob job;
  job.target_id = t.id;
  job.post_id = post.id;
  job.org_id = post.org_id;
  job.brand_id = post.brand_id;
  job.account_id = t.account_id;
  job.platform = t.platform;
  job.campaign_id = post.campaign_id.value_or("");
  job.tags = post.tags;
  job.crisis_statement = post.crisis_statement;
  job.content_version = t.content_version;
  job.due_at_ms = post.scheduled_at_ms.value_or(0);
  job.attempt = t.attempt;
  job.content.text = hashtagged(t.content);
  for (const auto& m : t.content.media) {
    contracts::MediaRef r;
    r.kind = m.value("kind", std::string("image"));
    r.url = m.value("url", std::string());
    r.mime_type = m.value("mime_type", std::string());
    r.bytes = m.value("bytes", std::int64_t{0});
    r.width = m.value("width", 0);
    r.height = m.value("height", 0);
    r.duration_s = m.value("duration_s", 0.0);
    r.alt_text = m.value("alt_text", std::string());
    job.content.media.push_back(std::move(r));
  }
  job.content.link = t.content.link;
  if (!post.title.empty()) job.content.title = post.title;
  job.content.thread = t.content.thread;
  job.content.first_comment = t.content.first_comment;
  job.marker = t.marker;
  return job;
}

Posts::Posts(PostStore& store, iam::Identity& identity, contracts::AccountDirectory& directory,
             const core::Clock& clock, PostsOptions options)
    : store_(store), identity_(identity), directory_(directory), clock_(clock), options_(std::move(options)),
      streams_(options_.key_prefix) {}

std::int64_t Posts::now_ms() const {
  return clock_.now_ms();
}

void Posts::notify() {
  if (on_outbox_) on_outbox_();
}

Evaluation Posts::evaluate_round(pqxx::work& tx, const PostRecord& post) {
  if (post.review_round == 0) return {};
  auto decisions = to_domain(PostStore::decisions(tx, post.id, post.review_round));
  return evaluate(options_.policy, facts_of(post), decisions, to_sys(now_ms()));
}

PostView Posts::view(pqxx::work& tx, const PostRecord& post) {
  PostView v{post, PostStore::targets(tx, post.id, false), {}};
  v.review = evaluate_round(tx, post);
  return v;
}

void Posts::move(pqxx::work& tx, const PostRecord& post, TargetRecord& t, Event event, const std::string& actor,
                 const nlohmann::json& detail) {
  auto r = advance(t.lifecycle(), event, options_.lifecycle);
  if (!r.ok()) {
    conflict_with(t.platform + " account " + t.account_id + ": " + r.reason,
                  nlohmann::json::array({{{"target_id", t.id}, {"account_id", t.account_id},
                                          {"state", to_string(t.state)}, {"reason", r.reason}}}));
  }
  // Out of HELD or FAILED: a new attempt, so the scheduler (which remembers each attempt it held
  // or dispatched, and never takes one twice) takes it.
  int attempt = t.attempt;
  if ((t.state == State::kHeld || t.state == State::kFailed) && r.target->state != t.state) ++attempt;
  if (!PostStore::cas(tx, t.id, t.state, *r.target, attempt)) {
    conflict_with("the target changed while this request ran; read the post again", nlohmann::json::array());
  }
  PostStore::add_transition(tx, post.id, t.id, t.state, r.target->state, event, actor, detail);
  t.attempt = attempt;
  t.state = r.target->state;
  t.content_version = r.target->content_version;
  t.approved_version = r.target->approved_version;
}

void Posts::emit_set(pqxx::work& tx, const PostRecord& post, const TargetRecord& t) {
  auto e = contracts::schedule_set(dispatch_job(post, t), "pub-" + core::crypto::random_token(16), now_ms());
  PostStore::add_outbox(tx, streams_.scheduler_commands, e.type, t.id, contracts::to_fields(e).at(0).second);
}

void Posts::emit_cancel(pqxx::work& tx, const TargetRecord& t, std::int64_t content_version) {
  contracts::Envelope e;
  e.type = std::string(contracts::kScheduleCancel);
  e.id = "pub-" + core::crypto::random_token(16);
  e.ts_ms = now_ms();
  e.data = {{"target_id", t.id}, {"content_version", content_version}};
  PostStore::add_outbox(tx, streams_.scheduler_commands, e.type, t.id, contracts::to_fields(e).at(0).second);
}

PostView Posts::create(const iam::Principal& p, const PostInput& in) {
  iam::require_permission(p, perm::kPostWrite, in.brand_id);
  if (in.variants.empty()) http::invalid_field("variants", "a post needs at least one account");
  for (const auto& v : in.variants) iam::require_account_permission(p, perm::kPostWrite, in.brand_id, v.account_id);
  if (!identity_.brand(p.org_id, in.brand_id)) http::invalid_field("brand_id", "no such brand");
  if (in.slot && in.slot->at_ms <= now_ms()) http::invalid_field("scheduled_at", "the slot is in the past");
  std::vector<std::string> platforms;
  validate_variants(p.org_id, in.brand_id, in.variants, &platforms);

  PostRecord post;
  post.org_id = p.org_id;
  post.brand_id = in.brand_id;
  post.title = in.title;
  post.content_type = in.content_type;
  post.form = in.form;
  post.campaign_id = in.campaign_id;
  post.tags = in.tags;
  post.notes = in.notes;
  post.sensitive = in.sensitive;
  post.crisis_statement = in.crisis_statement;
  set_slot(post, in.slot);
  post.makers = {p.user_id};
  post.created_by = p.user_id;
  return store_.transact([&](pqxx::work& tx) {
    post.id = PostStore::insert_post(tx, post);
    for (std::size_t i = 0; i < in.variants.size(); ++i) {
      PostStore::insert_target(tx, post, platforms[i], in.variants[i]);
    }
    auto created = *PostStore::post(tx, p.org_id, post.id, false);
    auto targets = PostStore::targets(tx, post.id, false);
    PostStore::add_version(tx, post.id, created.version, snapshot(created, targets), actor_label(p));
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"post.create", "post", post.id, post.brand_id,
                            {{"accounts", targets.size()}, {"content_type", post.content_type}, {"form", post.form}}});
    return view(tx, created);
  });
}

PostView Posts::get(const iam::Principal& p, const std::string& id) {
  return store_.transact([&](pqxx::work& tx) {
    auto post = PostStore::post(tx, p.org_id, id, false);
    if (!post) http::not_found("no such post");
    iam::require_permission(p, perm::kPostRead, post->brand_id);
    return view(tx, *post);
  });
}

PostView Posts::edit(const iam::Principal& p, const std::string& id, const PostChange& c,
                     std::optional<int> expected_version) {
  bool wrote_outbox = false;
  auto result = store_.transact([&](pqxx::work& tx) {
    auto found = PostStore::post(tx, p.org_id, id, true);
    if (!found) http::not_found("no such post");
    auto post = *found;
    iam::require_permission(p, perm::kPostWrite, post.brand_id);
    if (expected_version && *expected_version != post.version) {
      http::precondition_failed("the post changed since you read it (now version " + std::to_string(post.version) +
                                "): read it again");
    }
    auto targets = PostStore::targets(tx, post.id, true);
    for (const auto& t : targets) iam::require_account_permission(p, perm::kPostWrite, post.brand_id, t.account_id);

    PostRecord next = post;
    if (c.title) next.title = *c.title;
    if (c.content_type) next.content_type = *c.content_type;
    if (c.form) next.form = *c.form;
    if (c.notes) next.notes = *c.notes;
    if (c.set_campaign) next.campaign_id = c.campaign_id;
    if (c.tags) next.tags = *c.tags;
    if (c.sensitive) next.sensitive = *c.sensitive;
    if (c.crisis_statement) next.crisis_statement = *c.crisis_statement;
    if (c.set_slot) {
      if (c.slot && c.slot->at_ms <= now_ms()) http::invalid_field("scheduled_at", "the slot is in the past");
      set_slot(next, c.slot);
    }

    // Which targets' content changes, and which accounts are new.
    std::vector<std::pair<TargetRecord*, const Variant*>> changed;
    std::vector<Variant> added;
    if (c.variants) {
      for (const auto& v : *c.variants) {
        auto it = std::find_if(targets.begin(), targets.end(),
                               [&](const auto& t) { return t.account_id == v.account_id; });
        if (it == targets.end()) {
          iam::require_account_permission(p, perm::kPostWrite, post.brand_id, v.account_id);
          added.push_back(v);
        } else if (!same_content(it->content, v)) {
          changed.emplace_back(&*it, &v);
        }
      }
      std::vector<std::string> platforms;
      validate_variants(p.org_id, post.brand_id, *c.variants, &platforms);
    }
    // Anything but the notes and the slot is content the approval covered (the freeze scope and
    // the approval chain depend on tags, campaign, sensitivity and the crisis flag too).
    bool post_content = next.title != post.title || next.content_type != post.content_type ||
                        next.form != post.form || next.campaign_id != post.campaign_id || next.tags != post.tags ||
                        next.sensitive != post.sensitive || next.crisis_statement != post.crisis_statement;
    bool content_changed = post_content || !changed.empty() || !added.empty();
    bool slot_changed = next.scheduled_at_ms != post.scheduled_at_ms || next.zone != post.zone;
    const auto actor = actor_label(p);

    if (content_changed) {
      nlohmann::json refused = nlohmann::json::array();
      for (auto& t : targets) {
        if (t.state == State::kCancelled) continue;
        if (auto why = why_not(t.state, Event::kEdit, options_.lifecycle)) {
          refused.push_back({{"target_id", t.id}, {"account_id", t.account_id}, {"state", to_string(t.state)},
                             {"reason", *why}});
        }
      }
      if (!refused.empty()) {
        conflict_with("the content cannot change: " + refused[0]["reason"].get<std::string>(), refused);
      }
      for (auto& [t, v] : changed) PostStore::set_content(tx, t->id, *v);
      bool in_review = false;
      for (auto& t : targets) {
        if (t.state == State::kCancelled) continue;
        const auto before = t.state;
        const auto version = t.content_version;
        move(tx, post, t, Event::kEdit, actor);
        if (before == State::kScheduled) {
          emit_cancel(tx, t, version);
          wrote_outbox = true;
        }
        if (t.state == State::kInReview) in_review = true;
      }
      if (!contains(next.makers, p.user_id)) next.makers.push_back(p.user_id);
      // A new round: the decisions given so far covered the old content and lapse.
      if (in_review) next.review_round = post.review_round + 1;
      for (const auto& v : added) {
        auto account = directory_.account(p.org_id, v.account_id);
        auto tid = PostStore::insert_target(tx, next, account->platform, v);
        if (in_review) {
          auto all = PostStore::targets(tx, post.id, true);
          auto it = std::find_if(all.begin(), all.end(), [&](const auto& t) { return t.id == tid; });
          move(tx, post, *it, Event::kSubmit, actor);
        }
      }
    } else if (slot_changed) {
      // Only the slot moves: a scheduled target is rescheduled (the scheduler hears a cancel of
      // the old due time and the new one); others keep their state and just plan the new slot.
      for (auto& t : targets) {
        if (t.state != State::kScheduled) continue;
        if (!next.scheduled_at_ms) {
          http::conflict("a scheduled post keeps a slot: cancel it, or give it a new slot");
        }
        move(tx, next, t, Event::kReschedule, actor, {{"scheduled_at", *next.scheduled_at_ms}});
        emit_cancel(tx, t, t.content_version);
        emit_set(tx, next, t);
        wrote_outbox = true;
      }
    }
    next.version = PostStore::update_post(tx, next);
    auto updated = *PostStore::post(tx, p.org_id, id, false);
    auto now_targets = PostStore::targets(tx, post.id, false);
    PostStore::add_version(tx, post.id, updated.version, snapshot(updated, now_targets), actor);
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"post.update", "post", post.id, post.brand_id,
                            {{"version", updated.version}, {"content_changed", content_changed},
                             {"slot_changed", slot_changed}, {"review_round", updated.review_round}}});
    return view(tx, updated);
  });
  if (wrote_outbox) notify();
  return result;
}

nlohmann::json Posts::history(const iam::Principal& p, const std::string& id) {
  return store_.transact([&](pqxx::work& tx) {
    auto post = PostStore::post(tx, p.org_id, id, false);
    if (!post) http::not_found("no such post");
    iam::require_permission(p, perm::kPostRead, post->brand_id);
    nlohmann::json versions = nlohmann::json::array();
    for (const auto& v : PostStore::versions(tx, id)) {
      versions.push_back(
          {{"version", v.version}, {"at", v.at}, {"changed_by", v.changed_by}, {"snapshot", v.snapshot}});
    }
    nlohmann::json decisions = nlohmann::json::array();
    for (const auto& d : PostStore::decisions(tx, id, std::nullopt)) {
      decisions.push_back({{"round", d.round},
                           {"stage", d.stage},
                           {"verdict", d.verdict},
                           {"reason", d.reason},
                           {"approver_id", d.approver_id},
                           {"approver", d.approver_label},
                           {"role", d.approver_role},
                           {"at", d.decided_at}});
    }
    nlohmann::json transitions = nlohmann::json::array();
    for (const auto& t : PostStore::transitions(tx, id)) {
      transitions.push_back({{"target_id", t.target_id},
                             {"from", t.from_state},
                             {"to", t.to_state},
                             {"event", t.event},
                             {"actor", t.actor},
                             {"detail", t.detail},
                             {"at", t.at}});
    }
    return nlohmann::json{{"versions", versions}, {"decisions", decisions}, {"transitions", transitions}};
  });
}

CalendarPage Posts::list(const iam::Principal& p, CalendarFilter filter) {
  if (filter.brand_id) iam::require_permission(p, perm::kPostRead, *filter.brand_id);
  return store_.transact([&](pqxx::work& tx) {
    auto page = PostStore::list(tx, p.org_id, filter);
    CalendarPage visible;
    visible.next_cursor = page.next_cursor;
    for (std::size_t i = 0; i < page.posts.size(); ++i) {
      if (!p.can(perm::kPostRead, page.posts[i].brand_id)) continue;
      visible.posts.push_back(std::move(page.posts[i]));
      visible.targets.push_back(std::move(page.targets[i]));
    }
    return visible;
  });
}

}  // namespace herald::publishing
