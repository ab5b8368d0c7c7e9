#include "services/publishing/domain/approval_policy.hpp"

#include <gtest/gtest.h>

namespace herald::publishing {
namespace {

using std::chrono::minutes;

const date::sys_seconds kT0 = date::sys_seconds{date::sys_days{date::year{2024} / 3 / 11}};

Approver person(std::string id, std::string role, std::string department = "") {
  return Approver{id, id, std::move(role), std::move(department), false};
}

const Approver kAlice = person("alice", "social_media_manager", "marketing");  // the author
const Approver kBob = person("bob", "social_media_manager", "marketing");
const Approver kCarol = person("carol", "legal_reviewer", "legal");
const Approver kDan = person("dan", "crisis_commander", "pr");
const Approver kErin = person("erin", "external_reviewer", "agency");
const Approver kFrank = person("frank", "social_media_manager", "finance");

Decision approve(const Approver& a, std::string stage, int minute, std::int64_t round = 1) {
  return Decision{a, Verdict::kApprove, std::move(stage), round, "", kT0 + minutes{minute}};
}
Decision reject(const Approver& a, std::string stage, int minute, std::string reason) {
  return Decision{a, Verdict::kReject, std::move(stage), 1, std::move(reason), kT0 + minutes{minute}};
}

PostFacts by_alice() {
  PostFacts f;
  f.makers = {"alice"};
  return f;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines) {
    if (l.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string dump(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

TEST(ApprovalPolicy, TheDefaultsAreValidAndDocumented) {
  const auto p = default_policy();
  EXPECT_TRUE(validate(p).empty()) << dump(validate(p));
  auto chain = effective_stages(p, by_alice());
  ASSERT_EQ(chain.size(), 2U);
  EXPECT_EQ(chain[0].name, "review");
  EXPECT_EQ(chain[1].name, "legal");
  EXPECT_TRUE(chain[1].legal);
  PostFacts sensitive = by_alice();
  sensitive.sensitive = true;
  EXPECT_EQ(effective_stages(p, sensitive).size(), 3U);
  PostFacts crisis = by_alice();
  crisis.crisis_statement = true;
  EXPECT_EQ(effective_stages(p, crisis).size(), 1U);
}

TEST(ApprovalPolicy, ValidationNamesWhatIsWrong) {
  auto p = default_policy();
  p.stages = {Stage{.name = "review", .min_approvers = 0, .roles = {"viewer", "wizard"}}, Stage{.name = "review"},
              Stage{.name = "marketing only", .departments = {"marketing"}, .one_outside_department = "marketing"}};
  p.legal_stage = Stage{.name = "legal", .roles = {"social_media_manager"}};
  p.expedited.stages = {Stage{.name = "a"}, Stage{.name = "b"}, Stage{.name = "c"}, Stage{.name = "d"},
                        Stage{.name = "e"}};
  p.deadline_before_slot = std::chrono::seconds{-5};
  const auto problems = validate(p);
  for (const auto* expected :
       {"needs at least one approver", "a viewer may not approve posts", "\"wizard\" is not a role",
        "\"review\" appears twice", "needs someone from outside it", "allows no role that may give legal review",
        "fewer stages than the normal one", "deadline cannot be after the slot"}) {
    EXPECT_TRUE(mentions(problems, expected)) << expected << dump(problems);
  }
  p.expedited.stages.clear();
  EXPECT_TRUE(mentions(validate(p), "expedited path needs at least one stage"));
}

TEST(ApprovalPolicy, TheDefaultChainReviewThenLegal) {
  const auto p = default_policy();
  auto ev = evaluate(p, by_alice(), {}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_EQ(ev.current_stage_name, "review");
  ASSERT_GE(ev.missing.size(), 2U) << dump(ev.missing);
  EXPECT_EQ(ev.missing[0], "stage \"review\" needs 1 more approval (1 required, 0 so far) from a social media manager");
  EXPECT_EQ(ev.missing[1], "then stage \"legal\": 1 approval from a legal reviewer");

  ev = evaluate(p, by_alice(), {approve(kBob, "review", 1)}, kT0);
  EXPECT_EQ(ev.current_stage, 1U);
  EXPECT_TRUE(ev.stages[0].complete);
  EXPECT_TRUE(mentions(ev.missing, "stage \"legal\" needs 1 more approval"));

  ev = evaluate(p, by_alice(), {approve(kBob, "review", 1), approve(kCarol, "legal", 2)}, kT0);
  EXPECT_TRUE(ev.complete);
  EXPECT_TRUE(ev.missing.empty()) << dump(ev.missing);
  EXPECT_EQ(ev.completed_at, kT0 + minutes{2});
}

TEST(ApprovalPolicy, MakerIsNeverChecker) {
  const auto p = default_policy();
  auto ev = evaluate(p, by_alice(), {approve(kAlice, "review", 1)}, kT0);
  EXPECT_FALSE(ev.stages[0].complete);
  EXPECT_TRUE(mentions(ev.ignored, "maker is never checker")) << dump(ev.ignored);
  auto why = why_cannot_decide(p, by_alice(), {}, kAlice, kT0);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("maker is never checker"), std::string::npos);
  EXPECT_FALSE(why_cannot_decide(p, by_alice(), {}, kBob, kT0));
  // An editor is a maker too: Bob edited the post, so he cannot approve it either.
  PostFacts edited = by_alice();
  edited.makers.push_back("bob");
  EXPECT_FALSE(evaluate(p, edited, {approve(kBob, "review", 1)}, kT0).stages[0].complete);
}

// The seeds' example: at least two approvers, at least one of them from outside marketing.
TEST(ApprovalPolicy, TwoApproversOneOutsideMarketing) {
  ApprovalPolicy p = default_policy();
  p.stages = {seed_example_stage()};
  p.legal_required = false;
  const auto facts = by_alice();
  const Approver mia = person("mia", "social_media_manager", "marketing");
  const Approver nobody = person("nod", "social_media_manager", "");

  auto ev = evaluate(p, facts, {approve(kBob, "review", 1), approve(mia, "review", 2)}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_EQ(dump(ev.missing), dump({"stage \"review\" needs at least one approver from outside marketing"}));
  // No department on record is not "outside".
  EXPECT_FALSE(evaluate(p, facts, {approve(kBob, "review", 1), approve(nobody, "review", 2)}, kT0).complete);
  ev = evaluate(p, facts, {approve(kFrank, "review", 1)}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_TRUE(mentions(ev.missing, "needs 1 more approval (2 required, 1 so far)")) << dump(ev.missing);
  EXPECT_TRUE(evaluate(p, facts, {approve(kBob, "review", 1), approve(kFrank, "review", 2)}, kT0).complete);
  EXPECT_TRUE(
      evaluate(p, facts, {approve(kBob, "review", 1), approve(mia, "review", 2), approve(kCarol, "review", 3)}, kT0)
          .complete);
  // The same person twice is one approver.
  EXPECT_FALSE(evaluate(p, facts, {approve(kFrank, "review", 1), approve(kFrank, "review", 2)}, kT0).complete);
}

TEST(ApprovalPolicy, StagesAreOrdered) {
  const auto p = default_policy();
  // Legal approves first: it does not count, and legal is still needed after the review.
  auto ev = evaluate(p, by_alice(), {approve(kCarol, "legal", 1), approve(kBob, "review", 2)}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_EQ(ev.current_stage_name, "legal");
  EXPECT_TRUE(mentions(ev.ignored, "carol decided for stage \"legal\" while stage \"review\" was open"))
      << dump(ev.ignored);
}

TEST(ApprovalPolicy, OnePersonCountsInOneStage) {
  ApprovalPolicy p = default_policy();
  p.stages = {Stage{.name = "review", .roles = {"social_media_manager", "legal_reviewer"}}};
  const std::vector<Decision> d{approve(kCarol, "review", 1), approve(kCarol, "legal", 2)};
  auto ev = evaluate(p, by_alice(), d, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_TRUE(mentions(ev.ignored, "already approved an earlier stage")) << dump(ev.ignored);
  EXPECT_TRUE(why_cannot_decide(p, by_alice(), {d[0]}, kCarol, kT0));
  p.distinct_across_stages = false;
  EXPECT_TRUE(evaluate(p, by_alice(), d, kT0).complete);
}

TEST(ApprovalPolicy, SensitivePostsGetMoreReview) {
  const auto p = default_policy();
  PostFacts f = by_alice();
  f.sensitive = true;
  const std::vector<Decision> d{approve(kBob, "review", 1), approve(kCarol, "legal", 2)};
  auto ev = evaluate(p, f, d, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_EQ(ev.current_stage_name, "senior review");
  // Bob cannot do the senior review too; Dan (crisis commander) can.
  auto d2 = std::vector<Decision>{approve(kBob, "review", 1), approve(kBob, "senior review", 2)};
  EXPECT_FALSE(evaluate(p, f, d2, kT0).stages[1].complete);
  auto d3 =
      std::vector<Decision>{approve(kBob, "review", 1), approve(kDan, "senior review", 2), approve(kCarol, "legal", 3)};
  EXPECT_TRUE(evaluate(p, f, d3, kT0).complete);
  EXPECT_TRUE(evaluate(p, by_alice(), {approve(kBob, "review", 1), approve(kCarol, "legal", 2)}, kT0).complete);
}

TEST(ApprovalPolicy, ARejectionWithAReasonEndsTheReview) {
  const auto p = default_policy();
  auto ev = evaluate(p, by_alice(),
                     {reject(kBob, "review", 1, "wrong price in the image"), approve(kFrank, "review", 2)}, kT0);
  EXPECT_TRUE(ev.rejected);
  EXPECT_FALSE(ev.complete);
  ASSERT_TRUE(ev.rejection);
  EXPECT_EQ(ev.rejection->approver.user_id, "bob");
  EXPECT_TRUE(mentions(ev.missing, "rejected by bob at stage \"review\": wrong price in the image"))
      << dump(ev.missing);
  EXPECT_TRUE(why_cannot_decide(p, by_alice(), {reject(kBob, "review", 1, "no")}, kFrank, kT0));
  // No reason, or someone who may not decide the stage: it does not count.
  ev = evaluate(p, by_alice(), {reject(kBob, "review", 1, "  ")}, kT0);
  EXPECT_FALSE(ev.rejected);
  EXPECT_TRUE(mentions(ev.ignored, "gives no reason"));
  EXPECT_FALSE(evaluate(p, by_alice(), {reject(person("dee", "designer"), "review", 1, "ugly")}, kT0).rejected);
  EXPECT_FALSE(evaluate(p, by_alice(), {reject(kAlice, "review", 1, "withdrawn")}, kT0).rejected);
}

TEST(ApprovalPolicy, ADifferentRoundStartsOver) {
  const auto p = default_policy();
  PostFacts f = by_alice();
  f.round = 2;  // edited after the approvals
  auto ev = evaluate(p, f, {approve(kBob, "review", 1, 1), approve(kCarol, "legal", 2, 1)}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_EQ(ev.current_stage, 0U);
  EXPECT_TRUE(evaluate(p, f, {approve(kBob, "review", 5, 2), approve(kCarol, "legal", 6, 2)}, kT0).complete);
}

TEST(ApprovalPolicy, TooLateIsExpired) {
  const auto p = default_policy();  // 30 minutes before the slot
  PostFacts f = by_alice();
  f.slot = kT0 + minutes{60};  // deadline kT0 + 30 min
  const std::vector<Decision> in_time{approve(kBob, "review", 10), approve(kCarol, "legal", 30)};
  auto ev = evaluate(p, f, in_time, kT0 + minutes{45});
  EXPECT_TRUE(ev.complete);
  EXPECT_FALSE(ev.expired);
  EXPECT_EQ(ev.deadline, kT0 + minutes{30});

  const std::vector<Decision> late{approve(kBob, "review", 10), approve(kCarol, "legal", 31)};
  ev = evaluate(p, f, late, kT0 + minutes{31});
  EXPECT_FALSE(ev.complete);
  EXPECT_TRUE(ev.expired);
  EXPECT_TRUE(mentions(ev.missing, "deadline (2024-03-11T00:30:00Z) has passed")) << dump(ev.missing);
  EXPECT_TRUE(mentions(ev.ignored, "came after the approval deadline"));
  EXPECT_TRUE(why_cannot_decide(p, f, {in_time[0]}, kCarol, kT0 + minutes{31}));

  // Still open before the deadline; no slot, no deadline.
  EXPECT_FALSE(evaluate(p, f, {in_time[0]}, kT0 + minutes{29}).expired);
  EXPECT_FALSE(evaluate(p, by_alice(), {in_time[0]}, kT0 + minutes{10000}).expired);
}

TEST(ApprovalPolicy, TheExpeditedPathForCrisisStatements) {
  const auto p = default_policy();
  PostFacts f;
  f.makers = {"dan2"};
  f.crisis_statement = true;
  f.slot = kT0 + minutes{5};  // the expedited deadline is the slot itself
  const Approver dan2 = person("dan2", "crisis_commander", "pr");
  // Commander and legal in parallel, either order.
  auto ev = evaluate(p, f, {approve(kCarol, "crisis statement", 1), approve(kDan, "crisis statement", 2)}, kT0);
  EXPECT_TRUE(ev.expedited);
  EXPECT_TRUE(ev.complete);
  EXPECT_TRUE(
      evaluate(p, f, {approve(kDan, "crisis statement", 5), approve(kCarol, "crisis statement", 5)}, kT0 + minutes{5})
          .complete);
  // Two commanders are not a legal review; the maker never counts.
  const Approver dora = person("dora", "crisis_commander", "pr");
  ev = evaluate(p, f, {approve(kDan, "crisis statement", 1), approve(dora, "crisis statement", 2)}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_TRUE(mentions(ev.missing, "needs an approval from a legal reviewer")) << dump(ev.missing);
  EXPECT_FALSE(
      evaluate(p, f, {approve(dan2, "crisis statement", 1), approve(kCarol, "crisis statement", 2)}, kT0).complete);
  // With the lane switched off a crisis statement takes the normal chain.
  ApprovalPolicy off = p;
  off.expedited.enabled = false;
  EXPECT_EQ(effective_stages(off, f).size(), 2U);
}

TEST(ApprovalPolicy, TheExpeditedPathIsNeverEmpty) {
  ApprovalPolicy p = default_policy();
  p.expedited.stages.clear();
  p.expedited.skip_legal = true;
  PostFacts f = by_alice();
  f.crisis_statement = true;
  auto chain = effective_stages(p, f);
  ASSERT_EQ(chain.size(), 1U);
  EXPECT_EQ(chain[0].min_approvers, 1);
  EXPECT_FALSE(evaluate(p, f, {}, kT0).complete);
  EXPECT_FALSE(evaluate(p, f, {approve(kAlice, chain[0].name, 1)}, kT0).complete);  // still not the maker
  EXPECT_TRUE(evaluate(p, f, {approve(kDan, chain[0].name, 1)}, kT0).complete);
  // A stage asking for zero approvers still needs one.
  ApprovalPolicy zero = default_policy();
  zero.legal_required = false;
  zero.stages = {Stage{.name = "review", .min_approvers = 0}};
  EXPECT_EQ(effective_stages(zero, by_alice())[0].min_approvers, 1);
  auto ev = evaluate(zero, by_alice(), {}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_EQ(ev.stages[0].required, 1);
}

TEST(ApprovalPolicy, WhoMayApprove) {
  ApprovalPolicy p = default_policy();
  p.legal_required = false;
  p.stages = {Stage{.name = "review", .roles = {"external_reviewer"}, .departments = {"pr"}}};
  // A listed role, or a listed department.
  EXPECT_TRUE(evaluate(p, by_alice(), {approve(kErin, "review", 1)}, kT0).complete);
  EXPECT_TRUE(evaluate(p, by_alice(), {approve(kDan, "review", 1)}, kT0).complete);
  auto ev = evaluate(p, by_alice(), {approve(kBob, "review", 1)}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_TRUE(mentions(ev.ignored, "needs approvers from an external (agency/client) reviewer or someone in pr"))
      << dump(ev.ignored);
  // A role without post.approve never counts, whatever its department; an org admin may.
  EXPECT_FALSE(evaluate(p, by_alice(), {approve(person("vic", "viewer", "pr"), "review", 1)}, kT0).complete);
  Approver admin = person("root", "", "pr");
  admin.is_admin = true;
  EXPECT_TRUE(evaluate(p, by_alice(), {approve(admin, "review", 1)}, kT0).complete);
  // A legal stage needs someone who may give legal review, even when a department lets others in.
  p.stages = {Stage{.name = "legal", .departments = {"legal"}, .legal = true}};
  ev = evaluate(p, by_alice(), {approve(person("lee", "social_media_manager", "legal"), "legal", 1)}, kT0);
  EXPECT_FALSE(ev.complete);
  EXPECT_TRUE(mentions(ev.missing, "needs a legal review")) << dump(ev.missing);
}

}  // namespace
}  // namespace herald::publishing
