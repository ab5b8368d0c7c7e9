#pragma once
// The Instagram adapter: the Instagram Graph API through Facebook Login (graph.facebook.com, the
// Graph version and error mapping shared with Facebook in adapters/facebook/graph.hpp) for
// professional accounts: content publishing (container -> status -> media_publish), comments,
// mentions, insights and webhooks.
//
// Conventions a caller relies on:
// - Connecting: exchange_code() trades the code for a long-lived user token, then connects the
//   first Page with an Instagram professional account: the Page token (no expiry) and the IG user id.
// - Every post needs media: one image, one video (published as a Reel) or a carousel of 2-10.
//   Creating containers publishes nothing, so a container call that times out is kRetryable; only
//   media_publish can leave an unknown outcome. The client marker is an invisible suffix of the
//   caption (herald/adapters/marker.hpp); find_by_marker reads the 50 most recent media.
// - fetch_inbound(): comments (and their replies) on the 25 most recent media, and media the
//   account is tagged in; the cursor is a unix time (items at or after it; the inbox
//   de-duplicates), next_cursor the newest time seen. No DMs.
#include <memory>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/clock.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_instagram_adapter(Endpoint endpoint);
std::unique_ptr<Adapter> make_instagram_adapter(Endpoint endpoint, Clock clock);

}  // namespace herald::adapters
