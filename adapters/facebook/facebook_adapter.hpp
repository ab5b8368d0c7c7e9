#pragma once
// The Facebook Pages adapter: Graph API (graph.hpp keeps the version) for a Page's posts, photos,
// videos, comments, Messenger conversations, insights and webhooks, and the Marketing API for ads.
//
// Conventions a caller relies on:
// - Connecting: exchange_code() trades the code for a long-lived user token, then reads
//   /me/accounts and connects the first Page the user manages (its Page token, which does not
//   expire, and its id). Choosing among several Pages is left to the accounts service (future work).
// - The client marker is an invisible suffix of the message (herald/adapters/marker.hpp);
//   find_by_marker reads the Page's 50 most recent posts.
// - fetch_inbound(): the cursor is a unix time; items at or after it are returned (the inbox
//   de-duplicates by id) and next_cursor is the newest time seen. A Messenger conversation is
//   identified by the sender's page-scoped id, both here and in webhooks, and send_dm() takes it.
// - Webhooks verify X-Hub-Signature-256 with Endpoint::webhook_secret (else client_secret, the app
//   secret) and answer the hub.challenge handshake when hub.verify_token equals
//   Endpoint::webhook_verify_token.
#include <memory>

#include "herald/adapters/adapter.hpp"
#include "herald/adapters/clock.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_facebook_adapter(Endpoint endpoint);
std::unique_ptr<Adapter> make_facebook_adapter(Endpoint endpoint, Clock clock);

}  // namespace herald::adapters
