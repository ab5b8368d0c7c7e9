#pragma once
// The Bluesky adapter: AT Protocol XRPC on the account's PDS (Endpoint::base_url, e.g.
// https://bsky.social; app.bsky.* reads are proxied by the PDS to the AppView).
//
// Conventions a caller relies on:
// - Connecting uses an app password, not a browser redirect: authorize_url() returns "" and Herald
//   shows a handle + app-password form instead; exchange_code(code = the app password,
//   code_verifier = the handle) calls com.atproto.server.createSession. The access token is the
//   accessJwt (expires_at read from its exp claim), the refresh token the refreshJwt; refresh()
//   calls refreshSession, revoke() deleteSession. Full atproto OAuth (PAR + DPoP) is future work.
// - Post ids are at:// URIs. The client marker is a field of the post record ("heraldMarker"; the
//   record stays a valid app.bsky.feed.post, whose schema is open), which find_by_marker looks for
//   in the 50 most recent records of the repository (com.atproto.repo.listRecords).
// - publish(): once the main post exists the call succeeds; a follow-up that fails leaves
//   thread_ids shorter than content.thread or first_comment_id empty. Images only (video is future
//   work); links in the text become link facets, a link with no images an external embed.
// - fetch_inbound(): kComment = replies, kMention = mentions and quotes, from
//   app.bsky.notification.listNotifications; the cursor is the newest indexedAt seen (items strictly
//   after it are returned), next_cursor the new one. No DMs (chat.bsky is future work).
#include <memory>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/clock.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_bluesky_adapter(Endpoint endpoint);
std::unique_ptr<Adapter> make_bluesky_adapter(Endpoint endpoint, Clock clock);

}  // namespace herald::adapters
