#pragma once
// Approval policies (per brand or per account) and their evaluation. Pure: the store loads the
// policy, the post's facts and the decisions recorded so far; evaluate() says whether the review
// is complete, which stage is open, what is still missing (in words a reviewer understands), and
// whether the approval came too late for the slot (the lifecycle's `expire`).
//
// Rules (seeds: ≥2 reviewers including one outside marketing, a mandatory legal review, a
// sensitivity flag that forces more review, maker/checker, an expedited lane for crisis
// statements):
//  - Stages are ordered. A decision counts for the stage it names, only while that stage is the
//    open one (a decision for a later stage, made early, does not count).
//  - A stage is complete when it has `min_approvers` distinct approvers (never fewer than one),
//    at least one of them outside `one_outside_department` if set (an approver with no department
//    on record is not "outside"), one of each of `require_roles`, and for a `legal` stage at least
//    one approver whose role grants legal.review.
//  - Who may approve a stage: a role that grants post.approve (services/contracts/iam) or an
//    organization admin, and, when the stage lists roles or departments, a listed role OR a
//    listed department.
//  - Maker is never checker: nobody who wrote or edited the post (PostFacts::makers) counts, on
//    any path, expedited included.
//  - With `distinct_across_stages` (the default) one person counts in one stage only.
//  - A rejection with a reason, by someone who may decide the open stage, ends the review. A
//    rejection without a reason does not count.
//  - Only decisions of the current review round count: the store starts a new round at every
//    submit and at every edit, so an edit invalidates the approvals given so far.
//  - Deadline: with a slot, the review must be complete `deadline_before_slot` before it.
//    Approvals after the deadline do not count; once `now` is past it the review is expired.
//  - Effective chain: `stages`, then `sensitive_stages` when the post is sensitive, then
//    `legal_stage` when `legal_required` and no stage so far is a legal one. A crisis statement
//    with the expedited path enabled uses `expedited.stages` instead (legal appended the same way
//    unless `expedited.skip_legal`); an empty chain falls back to one stage of one approver.
//
// Defaults (default_policy(); no number comes from the seeds, so every one is configurable):
//   stages            "review": 1 approver, role social_media_manager
//   legal_required    true; legal_stage "legal": 1 approver, role legal_reviewer
//   sensitive_stages  "senior review": 1 approver, social_media_manager or crisis_commander
//   deadline          30 minutes before the slot; expedited: at the slot itself
//   expedited         enabled; one stage "crisis statement": 2 approvers, one crisis_commander
//                     and one legal_reviewer, in parallel (it is the legal stage too)
// seed_example_stage() is the seeds' example: 2 approvers, at least one outside marketing.
#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald::publishing {

struct Stage {
  std::string name{};
  int min_approvers = 1;
  std::vector<std::string> roles{};                     // IAM role names; empty with empty departments: any approver
  std::vector<std::string> departments{};               // alternatively, approvers from these departments
  std::optional<std::string> one_outside_department{};  // at least one approver not in this department
  std::vector<std::string> require_roles{};             // one approver of each of these roles
  bool legal = false;                                   // the legal review: needs a legal.review holder
};

struct ExpeditedPath {
  bool enabled = true;
  std::vector<Stage> stages;
  bool skip_legal = false;
  std::chrono::seconds deadline_before_slot{0};
};

struct ApprovalPolicy {
  std::vector<Stage> stages;
  bool legal_required = true;
  Stage legal_stage;
  std::vector<Stage> sensitive_stages;
  std::chrono::seconds deadline_before_slot{30 * 60};
  bool distinct_across_stages = true;
  ExpeditedPath expedited;
};

ApprovalPolicy default_policy();
Stage seed_example_stage();

// Problems that make the policy unusable or contradict the rules above (empty names, duplicate
// stage names, unknown roles, roles that cannot approve, an impossible department rule, an
// expedited path that is not shorter than the normal one), in plain words. Empty: fine.
std::vector<std::string> validate(const ApprovalPolicy& policy);

struct Approver {
  std::string user_id;
  std::string display_name;  // for messages; the user id when empty
  std::string role;          // the IAM role of the approver's membership in the post's brand
  std::string department;    // empty when unknown
  bool is_admin = false;     // organization admin
};

enum class Verdict { kApprove, kReject };

struct Decision {
  Approver approver;
  Verdict verdict = Verdict::kApprove;
  std::string stage;  // the stage it was given for
  std::int64_t round = 1;
  std::string reason;  // required for a rejection
  date::sys_seconds at;
};

struct PostFacts {
  std::vector<std::string> makers;  // user ids of the author and of everyone who edited the content
  bool sensitive = false;
  bool crisis_statement = false;
  std::optional<date::sys_seconds> slot;  // planned publish instant; none: no deadline
  std::int64_t round = 1;                 // the current review round
};

struct StageProgress {
  std::string name;
  int required = 1;
  std::vector<std::string> approved_by;  // user ids that counted
  bool complete = false;
  std::optional<date::sys_seconds> completed_at;
};

struct Evaluation {
  bool complete = false;
  bool rejected = false;
  bool expired = false;
  bool expedited = false;
  std::optional<std::size_t> current_stage;  // the open stage (index into `stages`)
  std::string current_stage_name;
  std::vector<StageProgress> stages;  // the effective chain
  std::vector<std::string> missing;   // what the review still needs, in words
  std::vector<std::string> ignored;   // decisions that did not count, and why
  std::optional<date::sys_seconds> deadline;
  std::optional<date::sys_seconds> completed_at;
  std::optional<Decision> rejection;
};

std::vector<Stage> effective_stages(const ApprovalPolicy& policy, const PostFacts& facts);

Evaluation evaluate(const ApprovalPolicy& policy, const PostFacts& facts, const std::vector<Decision>& decisions,
                    date::sys_seconds now);

// Before recording a decision: nullopt when `approver` may decide the open stage now; otherwise
// why not (review closed or expired, maker, not eligible, already counted).
std::optional<std::string> why_cannot_decide(const ApprovalPolicy& policy, const PostFacts& facts,
                                             const std::vector<Decision>& decisions, const Approver& approver,
                                             date::sys_seconds now);

}  // namespace herald::publishing
