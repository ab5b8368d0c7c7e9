#pragma once
// The sandbox's whole world, in memory: accounts, items (posts, comments, replies, DMs),
// media, notifications and idempotency keys, per platform. Thread-safe (one mutex): the
// platform servers run on their own threads. Platforms render these generic records in their
// own wire formats; ids are allocated here from one counter per platform, so the same sequence
// of operations always yields the same ids.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "services/core/util/clock.hpp"

namespace herald::sandbox {

using TimePoint = std::chrono::system_clock::time_point;

struct Account {
  std::string platform;
  std::string id;
  std::string handle;
  std::string display_name;
  bool external = false;  // a generated author, not an account that connected through OAuth
  TimePoint created_at{};
};

enum class ItemKind { post, dm };

struct Item {
  std::string platform;
  std::string id;
  ItemKind kind = ItemKind::post;
  std::string author_id;
  std::string text;
  std::string in_reply_to_id;   // the parent item for a comment/reply
  std::string root_id;          // the conversation root (itself for a top-level post)
  std::string recipient_id;     // DMs
  std::string conversation_id;  // DMs: the conversation; posts: the thread
  std::string visibility = "public";
  std::string language;
  std::string spoiler_text;
  bool sensitive = false;
  std::vector<std::string> media_ids;
  std::vector<std::string> mention_ids;  // account ids
  bool hidden = false;                   // moderation: hidden by the parent's author
  bool deleted = false;
  bool generated = false;            // made by /_sandbox/generate
  std::vector<std::string> history;  // earlier texts (edits)
  TimePoint created_at{};
  TimePoint visible_at{};  // generated items appear in list endpoints from this instant
  std::optional<TimePoint> edited_at;
  nlohmann::json extra = nlohmann::json::object();  // platform-specific fields
  std::uint64_t seq = 0;                            // global insertion order
};

struct Media {
  std::string platform;
  std::string id;
  std::string owner_id;
  std::string content_type;
  std::string filename;
  std::string description;
  std::size_t size = 0;
  TimePoint created_at{};
};

struct Notification {
  std::string platform;
  std::string id;
  std::string account_id;  // who is notified
  std::string type;        // "mention", "reply", "dm"
  std::string item_id;
  std::string from_account_id;
  TimePoint visible_at{};
  std::uint64_t seq = 0;
};

// Turns the next counter value of a platform into that platform's id format.
using IdFormat = std::function<std::string(std::uint64_t)>;

class StateStore {
 public:
  explicit StateStore(const core::Clock& clock) : clock_(clock) {}

  [[nodiscard]] TimePoint now() const { return clock_.now(); }
  // The next number of the platform's counter (1, 2, ...).
  std::uint64_t next_number(const std::string& platform);

  // The account with this handle, created (with an id from `format`) if it does not exist.
  Account ensure_account(const std::string& platform, const std::string& handle, const IdFormat& format,
                         const std::string& display_name = "", bool external = false);
  [[nodiscard]] std::optional<Account> account(const std::string& platform, const std::string& id) const;
  [[nodiscard]] std::optional<Account> account_by_handle(const std::string& platform, const std::string& handle) const;
  [[nodiscard]] std::vector<Account> accounts(const std::string& platform) const;

  struct Created {
    Item item;
    bool replayed = false;  // an earlier item with the same idempotency key
  };
  // Stores `item` with a new id. With a non-empty idempotency_key, a second call with the same
  // (platform, author, key) returns the first item instead (replayed = true) and creates nothing.
  Created create_item(Item item, const IdFormat& format, const std::string& idempotency_key = "");
  [[nodiscard]] std::optional<Item> item(const std::string& platform, const std::string& id) const;
  // Applies `change` to the stored item; returns the result, or nullopt if there is none.
  std::optional<Item> update_item(const std::string& platform, const std::string& id,
                                  const std::function<void(Item&)>& change);
  // Items of a platform in insertion order that satisfy `keep` (deleted ones included: filter).
  [[nodiscard]] std::vector<Item> items(const std::string& platform,
                                        const std::function<bool(const Item&)>& keep) const;
  // The author's items whose text is exactly `text`, in insertion order (deleted ones included):
  // duplicate checks, from an index rather than a scan of everything.
  [[nodiscard]] std::vector<Item> items_with_text(const std::string& platform, const std::string& author_id,
                                                  const std::string& text) const;
  struct AuthorItems {
    std::size_t count = 0;                   // not deleted (and visible at the instant asked for)
    std::optional<TimePoint> last_created;   // the newest of those
  };
  // The author's items that are not deleted and, with `visible_at`, visible then (statuses_count
  // and the like), kept as counters rather than counted.
  [[nodiscard]] AuthorItems live_items_of(const std::string& platform, const std::string& author_id,
                                          std::optional<TimePoint> visible_at = std::nullopt) const;

  Media add_media(Media media, const IdFormat& format);
  [[nodiscard]] std::optional<Media> media(const std::string& platform, const std::string& id) const;

  Notification add_notification(Notification n, const IdFormat& format);
  // Visible notifications of an account, in insertion order.
  [[nodiscard]] std::vector<Notification> notifications(const std::string& platform,
                                                        const std::string& account_id) const;

  // Everything held for one account (GET /_sandbox/state): posts, comments on them, replies by
  // the account, DMs, mentions and the moderation state.
  [[nodiscard]] nlohmann::json state_json(const std::string& platform, const std::string& handle) const;

 private:
  using Key = std::pair<std::string, std::string>;  // (platform, id)
  [[nodiscard]] nlohmann::json item_json(const Item& it) const;

  const core::Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> counters_;
  std::map<Key, Account> accounts_;
  std::map<Key, std::string> handles_;  // (platform, lower-case handle) -> id
  std::vector<Item> items_;
  std::map<Key, std::size_t> item_index_;
  // Indexes that create_item and update_item keep, so that a publish does not scan every item.
  struct AuthorIndex {
    std::vector<std::size_t> positions;  // every item of the author, in insertion order
    std::size_t live = 0;                // not deleted
    std::multiset<TimePoint> later;      // visible_at of live items that appeared after their creation
  };
  std::map<Key, AuthorIndex> by_author_;                               // (platform, author id)
  std::unordered_map<std::string, std::vector<std::size_t>> by_text_;  // platform \n author \n text
  void index_text(const Item& it, std::size_t pos);
  void count_in(const Item& it, int sign);
  std::map<std::string, std::string> idempotency_;  // platform \n author \n key -> item id
  std::map<Key, Media> media_;
  std::vector<Notification> notifications_;
  std::uint64_t seq_ = 0;
};

}  // namespace herald::sandbox
