#pragma once
// Tracked short links (F6, issue #7): /l/{code} redirects to the target (UTM parameters built in),
// every click logged with a bot verdict and attributed to the link's campaign, post and account.
//
// The redirect is the hot path: it answers from an in-memory map (code -> target) on the I/O
// thread, and only a miss reads PostgreSQL (on the blocking pool). Clicks are queued in memory and
// written in batches by flush() (the module calls it every `flush_interval` on its own thread): one
// statement per batch inserts the rows and bumps the links' counters. A full queue drops the click
// and counts it in herald_link_clicks_dropped_total rather than slowing the redirect.
//
// The rest is blocking (call it from the blocking pool) and checked per brand: campaign.read to
// see links, campaign.manage to create them. Bad input is core::http::HttpError (422, naming the field).
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/campaigns/domain/utm.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::campaigns {

struct LinksOptions {
  // Herald's address as people see it: short links are <base>/l/<code>. Called per use (the port
  // is known only once the server listens).
  std::function<std::string()> base_url = [] { return std::string("http://127.0.0.1"); };
  std::size_t cache_entries = 200'000;
  std::size_t max_pending_clicks = 100'000;
  std::size_t flush_batch = 5'000;
};

struct LinkInput {
  std::string brand_id, target, label;
  domain::Utm utm;
  std::optional<std::string> campaign_id, post_id, account_id;
};

struct Click {
  std::string code;
  std::int64_t at_ms = 0;
  bool bot = false;
  std::string referer, user_agent;
  std::string visitor;  // queued: the remote address; written: its salted hash with the user agent
};

class Links {
 public:
  Links(core::pg::Pool& pg, iam::Identity& identity, LinksOptions options = {});

  nlohmann::json create(const iam::Principal& p, const LinkInput& in);
  nlohmann::json list(const iam::Principal& p, const std::optional<std::string>& brand_id,
                      const std::optional<std::string>& campaign_id, const std::optional<std::string>& cursor, int limit);
  // The link with its clicks per day over [from_ms, to_ms) and its top referrers.
  nlohmann::json get(const iam::Principal& p, const std::string& code, std::int64_t from_ms, std::int64_t to_ms);
  // The link's short URL as a QR code (SVG), for print and offline use.
  std::string qr_svg(const iam::Principal& p, const std::string& code);

  // --- the redirect ---
  // True for a string that can be a code (checked before any lookup).
  static bool plausible_code(std::string_view code);
  // No I/O: the cached target, if the code was seen.
  std::optional<std::string> cached_target(const std::string& code) const;
  // Blocking: reads the target (nullopt: no such link) and caches it.
  std::optional<std::string> load_target(const std::string& code);
  // No I/O: queues the click (the bot verdict and the visitor hash are computed here).
  void record_click(const std::string& code, std::int64_t at_ms, std::string_view user_agent, std::string_view referer,
                    std::string_view remote_address);
  // Blocking: writes what is queued, in batches. Returns how many clicks were written.
  std::size_t flush();
  [[nodiscard]] std::size_t dropped() const;

  [[nodiscard]] std::string short_url(const std::string& code) const;

 private:
  nlohmann::json with_urls(nlohmann::json link) const;
  std::string visitor_hash(std::string_view remote_address, std::string_view user_agent);

  core::pg::Pool& pg_;
  iam::Identity& identity_;
  LinksOptions options_;
  mutable std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, std::string> cache_;
  mutable std::mutex queue_mutex_;
  std::vector<Click> queue_;
  std::size_t dropped_ = 0;
  std::mutex salt_mutex_;
  std::string salt_;
};

}  // namespace herald::campaigns
