#pragma once
// The Mastodon adapter: the REST API of one instance (Endpoint::base_url is the instance) with
// OAuth 2.0 (Doorkeeper; PKCE from Mastodon 4.3), statuses, media, notifications and direct
// statuses.
//
// Conventions a caller relies on:
// - PostContent::idempotency_key is sent as Idempotency-Key (Mastodon de-duplicates for an hour);
//   follow-ups get derived keys (":thread:<n>", ":first_comment"). The client marker is also an
//   invisible text suffix (herald/adapters/marker.hpp) that find_by_marker looks for.
// - publish(): once the main status exists the call succeeds; a follow-up that fails leaves
//   thread_ids shorter than content.thread or first_comment_id empty.
// - fetch_inbound(): all three kinds come from mention notifications (min_id = the cursor):
//   visibility "direct" is a DM, a reply to the account is a comment, anything else a mention.
//   next_cursor is the newest notification id seen (the same cursor when nothing is new). A DM's
//   conversation_id is the sender's acct, which send_dm() also takes.
#include <memory>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/clock.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_mastodon_adapter(Endpoint endpoint);
std::unique_ptr<Adapter> make_mastodon_adapter(Endpoint endpoint, Clock clock);

// Mastodon's status HTML as plain text: <br> and paragraph breaks become newlines, other tags
// are dropped, character references decoded.
std::string mastodon_html_to_text(std::string_view html);

}  // namespace herald::adapters
