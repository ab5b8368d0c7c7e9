#pragma once
// The X (formerly Twitter) adapter: X API v2 with OAuth 2.0 (authorization code + PKCE), posts,
// threads, media, mentions, DMs, hidden replies, metrics, and Account Activity API webhooks.
//
// Conventions a caller relies on:
// - The client marker is an invisible text suffix (herald/adapters/marker.hpp; twitter-text weighs
//   it up to 32); find_by_marker looks for it in the account's 100 most recent posts.
// - publish(): once the main post exists the call succeeds; a follow-up (thread part, first
//   comment) that fails leaves thread_ids shorter than content.thread or first_comment_id empty.
//   The main post is never sent twice.
// - fetch_inbound(): the cursor is the newest item id seen (mentions/replies use since_id, DMs are
//   filtered by id); next_cursor is the value to pass next time (the same cursor when nothing new).
//   kComment = replies to the account's posts, kMention = other mentions.
// - Webhooks are signed with Endpoint::webhook_secret (the app's consumer secret), falling back to
//   client_secret.
#include <memory>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/clock.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_x_adapter(Endpoint endpoint);
std::unique_ptr<Adapter> make_x_adapter(Endpoint endpoint, Clock clock);

}  // namespace herald::adapters
