#pragma once
// Helpers the Posts workflow files share (posts.cpp, posts_validation.cpp, posts_review.cpp,
// posts_events.cpp). Internal to the publishing module.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "herald/adapters/capabilities.hpp"
#include "services/contracts/iam/permissions.hpp"
#include "services/publishing/posts.hpp"

namespace herald::publishing::detail {

date::sys_seconds to_sys(std::int64_t ms);
std::string actor_label(const iam::Principal& p);
bool contains(const std::vector<std::string>& v, const std::string& s);
// The text as sent: the variant's text with its hashtags appended.
std::string hashtagged(const Variant& v);
nlohmann::json variant_json(const Variant& v);
bool same_content(const Variant& a, const Variant& b);
// A version snapshot of the post and its targets (history).
nlohmann::json snapshot(const PostRecord& p, const std::vector<TargetRecord>& targets);
PostFacts facts_of(const PostRecord& p);
std::vector<Decision> to_domain(const std::vector<DecisionRecord>& rows);
// The local wall time the slot shows in its zone (DESIGN.md section 6); 422 for an unknown zone.
std::string local_wall(const Slot& s);
void set_slot(PostRecord& p, const std::optional<Slot>& s);
// The platform's capability table (nullptr for an unknown platform).
const adapters::Capabilities* capabilities_of(const std::string& platform);
[[noreturn]] void conflict_with(const std::string& detail, const nlohmann::json& targets);
// "mastodon account <id> is DRAFT, x account <id> is IN_REVIEW", for messages.
std::string state_list(const std::vector<TargetRecord>& targets);

}  // namespace herald::publishing::detail
