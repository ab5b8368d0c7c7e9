#include "services/publishing/domain/approval_policy.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "services/contracts/iam/permissions.hpp"

namespace herald::publishing {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string name_of(const Approver& a) { return a.display_name.empty() ? a.user_id : a.display_name; }

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool role_grants(const std::string& role, std::string_view permission) {
  const auto* r = iam::find_role(role);
  return r != nullptr && std::find(r->permissions.begin(), r->permissions.end(), permission) != r->permissions.end();
}

// "legal_reviewer" -> "legal reviewer" (the IAM title, lower-cased for use inside a sentence).
std::string title_of(const std::string& role) {
  const auto* r = iam::find_role(role);
  std::string t = r != nullptr ? std::string(r->title) : role;
  if (!t.empty()) t[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(t[0])));
  return t;
}

// "a legal reviewer", "an external (agency/client) reviewer".
std::string a_title(const std::string& role) {
  const std::string t = title_of(role);
  const bool vowel = !t.empty() && std::string_view("aeiou").find(t[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + t;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// " from a social media manager or someone in legal", or "" when anyone who may approve may.
std::string who_may(const Stage& s) {
  std::vector<std::string> options;
  for (const auto& r : s.roles) options.push_back(a_title(r));
  if (!s.departments.empty()) options.push_back("someone in " + join(s.departments, " or "));
  return options.empty() ? "" : " from " + join(options, " or ");
}

bool is_maker(const PostFacts& facts, const Approver& a) { return contains(facts.makers, a.user_id); }

std::optional<std::string> not_eligible(const Stage& s, const Approver& a) {
  const std::string who = name_of(a);
  if (!a.is_admin && !role_grants(a.role, iam::perm::kPostApprove)) {
    return who + " (" + (a.role.empty() ? "no role" : title_of(a.role)) + ") may not approve posts";
  }
  if (s.roles.empty() && s.departments.empty()) return std::nullopt;
  if (contains(s.roles, a.role) || (!a.department.empty() && contains(s.departments, a.department))) {
    return std::nullopt;
  }
  return who + " may not decide stage " + quoted(s.name) + "; it needs approvers" + who_may(s);
}

// The stage's unmet conditions given the approvers counted so far, in words.
std::vector<std::string> unmet(const Stage& s, const std::vector<Approver>& counted) {
  std::vector<std::string> out;
  const auto n = static_cast<int>(counted.size());
  const int need = std::max(1, s.min_approvers);
  if (n < need) {
    const int more = need - n;
    out.push_back("stage " + quoted(s.name) + " needs " + std::to_string(more) + " more approval" +
                  (more == 1 ? "" : "s") + " (" + std::to_string(need) + " required, " + std::to_string(n) +
                  " so far)" + who_may(s));
  }
  if (s.one_outside_department) {
    const auto& dept = *s.one_outside_department;
    bool outside = std::any_of(counted.begin(), counted.end(),
                               [&](const Approver& a) { return !a.department.empty() && a.department != dept; });
    if (!outside) out.push_back("stage " + quoted(s.name) + " needs at least one approver from outside " + dept);
  }
  for (const auto& r : s.require_roles) {
    bool present = std::any_of(counted.begin(), counted.end(), [&](const Approver& a) { return a.role == r; });
    if (!present) out.push_back("stage " + quoted(s.name) + " needs an approval from " + a_title(r));
  }
  if (s.legal) {
    bool legal = std::any_of(counted.begin(), counted.end(),
                             [](const Approver& a) { return role_grants(a.role, iam::perm::kLegalReview); });
    if (!legal) out.push_back("stage " + quoted(s.name) + " needs a legal review (an approval from a legal reviewer)");
  }
  return out;
}

std::string summary(const Stage& s) {
  const int need = std::max(1, s.min_approvers);
  std::string out =
      "then stage " + quoted(s.name) + ": " + std::to_string(need) + " approval" + (need == 1 ? "" : "s") + who_may(s);
  if (s.one_outside_department) out += ", at least one from outside " + *s.one_outside_department;
  return out;
}

void check_stages(const std::vector<Stage>& stages, const std::string& where, std::vector<std::string>& problems) {
  std::set<std::string> names;
  for (const auto& s : stages) {
    const std::string label = where + " stage " + quoted(s.name);
    if (s.name.empty()) problems.push_back(where + ": a stage has no name");
    if (!names.insert(s.name).second) problems.push_back(label + " appears twice");
    if (s.min_approvers < 1) problems.push_back(label + " needs at least one approver");
    for (const auto& r : s.roles) {
      if (iam::find_role(r) == nullptr) {
        problems.push_back(label + ": " + quoted(r) + " is not a role");
      } else if (!role_grants(r, iam::perm::kPostApprove)) {
        problems.push_back(label + ": " + a_title(r) + " may not approve posts");
      }
    }
    for (const auto& r : s.require_roles) {
      if (iam::find_role(r) == nullptr || !role_grants(r, iam::perm::kPostApprove)) {
        problems.push_back(label + " requires " + quoted(r) + ", which is not a role that may approve posts");
      } else if (!s.roles.empty() && s.departments.empty() && !contains(s.roles, r)) {
        problems.push_back(label + " requires " + a_title(r) + " but does not allow that role");
      }
    }
    if (s.one_outside_department && s.roles.empty() && s.departments.size() == 1 &&
        s.departments[0] == *s.one_outside_department) {
      problems.push_back(label + " only allows " + s.departments[0] + " but needs someone from outside it");
    }
    if (s.legal && !s.roles.empty() && s.departments.empty() &&
        std::none_of(s.roles.begin(), s.roles.end(),
                     [](const std::string& r) { return role_grants(r, iam::perm::kLegalReview); })) {
      problems.push_back(label + " is the legal review but allows no role that may give legal review");
    }
  }
}

// The chain as configured; `normalize` applies the never-fewer-than-one rules (validate() looks
// at the raw chain so it can report them).
std::vector<Stage> build_chain(const ApprovalPolicy& policy, const PostFacts& facts, bool normalize) {
  const bool expedited = facts.crisis_statement && policy.expedited.enabled;
  std::vector<Stage> chain = expedited ? policy.expedited.stages : policy.stages;
  if (!expedited && facts.sensitive) {
    chain.insert(chain.end(), policy.sensitive_stages.begin(), policy.sensitive_stages.end());
  }
  const bool needs_legal = policy.legal_required && !(expedited && policy.expedited.skip_legal);
  if (needs_legal && std::none_of(chain.begin(), chain.end(), [](const Stage& s) { return s.legal; })) {
    Stage legal = policy.legal_stage;
    legal.legal = true;
    if (legal.name.empty()) legal.name = "legal";
    chain.push_back(std::move(legal));
  }
  if (!normalize) return chain;
  if (chain.empty()) chain.push_back(Stage{.name = expedited ? "crisis statement" : "review", .min_approvers = 1});
  for (auto& s : chain) s.min_approvers = std::max(1, s.min_approvers);
  return chain;
}

}  // namespace

ApprovalPolicy default_policy() {
  ApprovalPolicy p;
  p.stages = {Stage{.name = "review", .min_approvers = 1, .roles = {"social_media_manager"}}};
  p.legal_required = true;
  p.legal_stage = Stage{.name = "legal", .min_approvers = 1, .roles = {"legal_reviewer"}, .legal = true};
  p.sensitive_stages = {
      Stage{.name = "senior review", .min_approvers = 1, .roles = {"social_media_manager", "crisis_commander"}}};
  p.deadline_before_slot = std::chrono::minutes{30};
  p.distinct_across_stages = true;
  p.expedited.enabled = true;
  p.expedited.stages = {Stage{.name = "crisis statement",
                              .min_approvers = 2,
                              .roles = {"crisis_commander", "legal_reviewer"},
                              .require_roles = {"crisis_commander", "legal_reviewer"},
                              .legal = true}};
  p.expedited.skip_legal = false;
  p.expedited.deadline_before_slot = std::chrono::seconds{0};
  return p;
}

Stage seed_example_stage() {
  return Stage{.name = "review", .min_approvers = 2, .one_outside_department = std::string("marketing")};
}

std::vector<Stage> effective_stages(const ApprovalPolicy& policy, const PostFacts& facts) {
  return build_chain(policy, facts, true);
}

std::vector<std::string> validate(const ApprovalPolicy& policy) {
  std::vector<std::string> problems;
  if (policy.deadline_before_slot.count() < 0) problems.push_back("the approval deadline cannot be after the slot");
  if (policy.expedited.deadline_before_slot.count() < 0) {
    problems.push_back("the expedited approval deadline cannot be after the slot");
  }
  PostFacts normal;
  normal.sensitive = true;
  check_stages(build_chain(policy, normal, false), "review", problems);
  if (policy.expedited.enabled) {
    if (policy.expedited.stages.empty()) problems.push_back("the expedited path needs at least one stage");
    PostFacts crisis;
    crisis.crisis_statement = true;
    check_stages(build_chain(policy, crisis, false), "expedited", problems);
    const auto fast = effective_stages(policy, crisis);
    const auto usual = effective_stages(policy, PostFacts{});
    if (fast.size() >= usual.size() && usual.size() > 1) {
      problems.push_back("the expedited path must have fewer stages than the normal one (" +
                         std::to_string(fast.size()) + " vs " + std::to_string(usual.size()) + ")");
    }
  }
  return problems;
}

Evaluation evaluate(const ApprovalPolicy& policy, const PostFacts& facts, const std::vector<Decision>& decisions,
                    date::sys_seconds now) {
  Evaluation ev;
  const auto chain = effective_stages(policy, facts);
  ev.expedited = facts.crisis_statement && policy.expedited.enabled;
  if (facts.slot) {
    ev.deadline = *facts.slot - (ev.expedited ? policy.expedited.deadline_before_slot : policy.deadline_before_slot);
  }
  for (const auto& s : chain) ev.stages.push_back(StageProgress{s.name, s.min_approvers, {}, false, std::nullopt});

  std::vector<const Decision*> ordered;
  for (const auto& d : decisions) {
    if (d.round == facts.round) ordered.push_back(&d);
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const Decision* a, const Decision* b) { return a->at < b->at; });

  std::vector<std::vector<Approver>> counted(chain.size());
  std::set<std::string> counted_anywhere;
  std::size_t cur = 0;
  for (const Decision* d : ordered) {
    const std::string who = name_of(d->approver);
    if (cur == chain.size()) {
      ev.ignored.push_back(who + "'s decision came after the review was complete");
      continue;
    }
    const Stage& st = chain[cur];
    if (d->stage != st.name) {
      ev.ignored.push_back(who + " decided for stage " + quoted(d->stage) + " while stage " + quoted(st.name) +
                           " was open");
      continue;
    }
    if (is_maker(facts, d->approver)) {
      ev.ignored.push_back(who + " wrote or edited this post and cannot approve it (maker is never checker)");
      continue;
    }
    if (auto why = not_eligible(st, d->approver)) {
      ev.ignored.push_back(*why);
      continue;
    }
    if (ev.deadline && d->at > *ev.deadline) {
      ev.ignored.push_back(who + "'s decision came after the approval deadline (" +
                           date::format("%Y-%m-%dT%H:%M:%SZ", *ev.deadline) + ")");
      continue;
    }
    if (d->verdict == Verdict::kReject) {
      if (std::all_of(d->reason.begin(), d->reason.end(),
                      [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
        ev.ignored.push_back(who + "'s rejection gives no reason and does not count");
        continue;
      }
      ev.rejected = true;
      ev.rejection = *d;
      break;
    }
    auto& here = counted[cur];
    if (std::any_of(here.begin(), here.end(), [&](const Approver& a) { return a.user_id == d->approver.user_id; })) {
      ev.ignored.push_back(who + " already approved stage " + quoted(st.name));
      continue;
    }
    if (policy.distinct_across_stages && counted_anywhere.count(d->approver.user_id) != 0) {
      ev.ignored.push_back(who + " already approved an earlier stage; stage " + quoted(st.name) +
                           " needs someone else");
      continue;
    }
    here.push_back(d->approver);
    counted_anywhere.insert(d->approver.user_id);
    ev.stages[cur].approved_by.push_back(d->approver.user_id);
    if (unmet(st, here).empty()) {
      ev.stages[cur].complete = true;
      ev.stages[cur].completed_at = d->at;
      ++cur;
    }
  }

  if (ev.rejected) {
    ev.current_stage = cur;
    ev.current_stage_name = chain[cur].name;
    ev.missing.push_back("rejected by " + name_of(ev.rejection->approver) + " at stage " + quoted(chain[cur].name) +
                         ": " + ev.rejection->reason + "; edit the post and submit it again");
    return ev;
  }
  if (cur == chain.size()) {
    ev.complete = true;
    ev.completed_at = ev.stages.back().completed_at;
    return ev;
  }
  ev.current_stage = cur;
  ev.current_stage_name = chain[cur].name;
  if (ev.deadline && now > *ev.deadline) {
    ev.expired = true;
    ev.missing.push_back("the approval deadline (" + date::format("%Y-%m-%dT%H:%M:%SZ", *ev.deadline) +
                         ") has passed; reschedule the post to continue the review");
  }
  for (auto& m : unmet(chain[cur], counted[cur])) ev.missing.push_back(std::move(m));
  for (std::size_t i = cur + 1; i < chain.size(); ++i) ev.missing.push_back(summary(chain[i]));
  return ev;
}

std::optional<std::string> why_cannot_decide(const ApprovalPolicy& policy, const PostFacts& facts,
                                             const std::vector<Decision>& decisions, const Approver& approver,
                                             date::sys_seconds now) {
  const auto ev = evaluate(policy, facts, decisions, now);
  if (ev.rejected) return std::string("the review has ended: the post was rejected");
  if (ev.complete) return std::string("the review is already complete");
  if (ev.expired) return std::string("the approval deadline has passed; the post must be rescheduled first");
  if (is_maker(facts, approver)) {
    return name_of(approver) + " wrote or edited this post and cannot approve it (maker is never checker)";
  }
  const auto chain = effective_stages(policy, facts);
  const Stage& st = chain[*ev.current_stage];
  if (auto why = not_eligible(st, approver)) return why;
  const auto& here = ev.stages[*ev.current_stage].approved_by;
  if (contains(here, approver.user_id)) return name_of(approver) + " already approved stage " + quoted(st.name);
  if (policy.distinct_across_stages) {
    for (const auto& p : ev.stages) {
      if (contains(p.approved_by, approver.user_id)) {
        return name_of(approver) + " already approved stage " + quoted(p.name) + "; stage " + quoted(st.name) +
               " needs someone else";
      }
    }
  }
  return std::nullopt;
}

}  // namespace herald::publishing
