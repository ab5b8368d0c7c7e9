#pragma once
// Redis stream helpers for the queues of DESIGN.md section 3: consumer groups, acknowledgement,
// reclaiming stuck entries (XAUTOCLAIM) and the dead-letter stream `<stream>:dead`.
//
// Error handling: I/O failures throw redis::Error; error replies (NOGROUP, WRONGTYPE, ...) and
// replies of an unexpected shape throw ReplyError. Field names and values are binary-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/core/redis/client.hpp"

namespace herald::core::redis {

// The fields a dead-letter entry carries on top of the original ones.
inline constexpr std::string_view kDeadFromIdField = "dead_from_id";
inline constexpr std::string_view kDeadDeliveriesField = "dead_deliveries";

using StreamFields = std::vector<std::pair<std::string, std::string>>;

struct StreamEntry {
  std::string stream;
  std::string id;
  StreamFields fields;
  // How many times the group has delivered this entry (1 for a first delivery by read_group).
  std::int64_t deliveries = 1;

  // The value of the first field called `name`, or nullptr.
  [[nodiscard]] const std::string* field(std::string_view name) const;
};

struct ClaimResult {
  std::vector<StreamEntry> claimed;        // now owned by the claiming consumer, to be processed
  std::vector<StreamEntry> dead_lettered;  // moved to <stream>:dead and acknowledged (original id)
  std::string next_cursor;                 // pass to the next reclaim(); "0-0" when the scan is done
};

// `<stream>:dead`.
[[nodiscard]] std::string dead_letter_stream(std::string_view stream);

// XADD stream [MAXLEN ~ n] * field value ...; returns the new entry id.
// Throws std::invalid_argument when `fields` is empty.
std::string xadd(Client& client, std::string_view stream, const StreamFields& fields,
                 std::optional<std::size_t> maxlen_approx = {});

// XGROUP CREATE stream group start_id MKSTREAM; an existing group (BUSYGROUP) is fine.
void ensure_group(Client& client, std::string_view stream, std::string_view group, std::string_view start_id = "0");

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK block] STREAMS streams... > ...
// New entries only. `count` 0 means no COUNT limit; `block` 0 means do not block (no BLOCK).
// While blocking, the client's command timeout is raised to block + its own timeout (+ slack),
// then restored. Returns no entries when nothing arrived.
std::vector<StreamEntry> read_group(Client& client, std::string_view group, std::string_view consumer,
                                    const std::vector<std::string>& streams, std::size_t count,
                                    std::chrono::milliseconds block);

// XREAD [COUNT count] [BLOCK block] STREAMS stream after_id: the entries after `after_id`, for a
// reader outside any group (every reader sees every entry). Same count/block rules as read_group.
std::vector<StreamEntry> read_after(Client& client, std::string_view stream, std::string_view after_id,
                                    std::size_t count, std::chrono::milliseconds block);

// The id of the newest entry of `stream`, "0-0" when it is empty or absent.
std::string last_id(Client& client, std::string_view stream);

// XACK; returns how many entries were acknowledged (0 without a round trip for no ids).
std::size_t ack(Client& client, std::string_view stream, std::string_view group, const std::vector<std::string>& ids);

// Takes over entries of `group` idle for at least `min_idle` (XAUTOCLAIM from `cursor`, at most
// `count`, 0 = Redis' default of 100) for `consumer`, and reads their delivery counts. An entry delivered `max_deliveries`
// times or more is moved to <stream>:dead (its fields plus dead_from_id and dead_deliveries) and
// acknowledged on `stream`, both in one Lua script, so it is never lost nor left in both places.
// max_deliveries <= 0 disables dead-lettering. Entries another consumer took in between are
// left out.
ClaimResult reclaim(Client& client, std::string_view stream, std::string_view group, std::string_view consumer,
                    std::chrono::milliseconds min_idle, std::size_t count, std::int64_t max_deliveries,
                    std::string_view cursor = "0-0");

// Moves up to `count` of the oldest entries of <stream>:dead back onto `stream` (new ids, their
// original fields without dead_from_id/dead_deliveries) and deletes them from <stream>:dead,
// atomically (one Lua script). Every consumer group of `stream` sees them again: consumers
// de-duplicate on the payload id. Returns how many were moved.
std::size_t replay_dead_letters(Client& client, std::string_view stream, std::size_t count);

}  // namespace herald::core::redis
