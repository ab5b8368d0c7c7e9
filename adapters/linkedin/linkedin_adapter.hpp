#pragma once
// The LinkedIn adapter: the versioned REST API (api.linkedin.com/rest, LinkedIn-Version and
// X-Restli-Protocol-Version: 2.0.0 on every call) for posts by a member or an organization, their
// comments and statistics, with OAuth 2.0 on www.linkedin.com (Endpoint::auth_base_url).
//
// Conventions a caller relies on:
// - Credentials::platform_account_id is the author URN: exchange_code() returns
//   "urn:li:person:<sub>" (from /v2/userinfo); set "urn:li:organization:<id>" to post as a Page
//   the member administers. A bare id is taken as a person id.
// - Commentary is LinkedIn's "little" text format: reserved characters are escaped, hashtags kept.
//   The client marker is an invisible suffix (herald/adapters/marker.hpp); find_by_marker reads the
//   author's 50 most recent posts.
// - fetch_inbound(kComment): comments on the author's 10 most recent posts; the cursor is a unix
//   time (items at or after it; the inbox de-duplicates), next_cursor the newest time seen.
//   Mentions and messages have no public API: unsupported.
// - A 429 without Retry-After waits until 00:00 UTC, when LinkedIn's daily limits reset.
#include <memory>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/clock.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_linkedin_adapter(Endpoint endpoint);
std::unique_ptr<Adapter> make_linkedin_adapter(Endpoint endpoint, Clock clock);

// Text as "little" commentary: \ | { } @ [ ] ( ) < > * _ ~ escaped with a backslash, and # unless
// it starts a hashtag.
std::string linkedin_little_text(std::string_view text);

}  // namespace herald::adapters
