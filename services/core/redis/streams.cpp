#include "services/core/redis/streams.hpp"

#include <stdexcept>

#include "services/core/redis/error.hpp"
#include "services/core/redis/script.hpp"

namespace herald::core::redis {
namespace {

// Redis wakes blocked clients on its `hz` tick, up to ~100 ms late at the default hz 10.
constexpr std::chrono::milliseconds kBlockSlack{250};

// KEYS: stream, dead-letter stream. ARGV: group, id, consumer.
// Returns the dead-letter entry id; 0 if the entry is no longer pending for `consumer`;
// -1 if the entry itself was deleted (it is acknowledged, nothing to move).
constexpr const char* kDeadLetterLua = R"lua(
local stream, dead = KEYS[1], KEYS[2]
local group, id, consumer = ARGV[1], ARGV[2], ARGV[3]
local pending = redis.call('XPENDING', stream, group, id, id, 1)
if #pending == 0 or pending[1][2] ~= consumer then
  return 0
end
local entries = redis.call('XRANGE', stream, id, id)
if #entries == 0 then
  redis.call('XACK', stream, group, id)
  return -1
end
local args = {dead, '*'}
for _, v in ipairs(entries[1][2]) do
  args[#args + 1] = v
end
args[#args + 1] = 'dead_from_id'
args[#args + 1] = id
args[#args + 1] = 'dead_deliveries'
args[#args + 1] = tostring(pending[1][4])
local dead_id = redis.call('XADD', unpack(args))
redis.call('XACK', stream, group, id)
return dead_id
)lua";

// KEYS: stream, dead-letter stream. ARGV: count. Returns how many entries were moved.
constexpr const char* kReplayLua = R"lua(
local stream, dead = KEYS[1], KEYS[2]
local entries = redis.call('XRANGE', dead, '-', '+', 'COUNT', tonumber(ARGV[1]))
for _, e in ipairs(entries) do
  local args = {stream, '*'}
  local f = e[2]
  for i = 1, #f, 2 do
    if f[i] ~= 'dead_from_id' and f[i] ~= 'dead_deliveries' then
      args[#args + 1] = f[i]
      args[#args + 1] = f[i + 1]
    end
  end
  if #args > 2 then
    redis.call('XADD', unpack(args))
  end
  redis.call('XDEL', dead, e[1])
end
return #entries
)lua";

const Script& dead_letter_script() {
  static const Script script("stream_dead_letter", kDeadLetterLua);
  return script;
}

const Script& replay_script() {
  static const Script script("stream_replay_dead_letters", kReplayLua);
  return script;
}

[[noreturn]] void bad_shape(std::string_view what, const Reply& reply) {
  throw ReplyError("redis " + std::string(what) + ": unexpected reply " + reply.describe());
}

void throw_if_error(std::string_view what, const Reply& reply) {
  if (reply.is_error()) {
    throw ReplyError("redis " + std::string(what) + ": " + reply.str());
  }
}

StreamFields parse_fields(std::string_view what, const Reply& reply) {
  StreamFields fields;
  if (reply.is_nil()) {
    return fields;  // an entry deleted while pending
  }
  if (!reply.is_array() || reply.elements().size() % 2 != 0) {
    bad_shape(what, reply);
  }
  const auto& flat = reply.elements();
  fields.reserve(flat.size() / 2);
  for (std::size_t i = 0; i < flat.size(); i += 2) {
    fields.emplace_back(flat[i].as_string(), flat[i + 1].as_string());
  }
  return fields;
}

// [id, [field, value, ...]]
StreamEntry parse_entry(std::string_view what, std::string_view stream, const Reply& reply) {
  if (!reply.is_array() || reply.elements().size() != 2 || !reply.elements()[0].is_string()) {
    bad_shape(what, reply);
  }
  StreamEntry entry;
  entry.stream = std::string(stream);
  entry.id = reply.elements()[0].str();
  entry.fields = parse_fields(what, reply.elements()[1]);
  return entry;
}

// The reply of XREAD / XREADGROUP: nil (nothing arrived) or [[stream, [entry, ...]], ...].
std::vector<StreamEntry> parse_read_reply(std::string_view what, const Reply& reply) {
  throw_if_error(what, reply);
  std::vector<StreamEntry> entries;
  if (reply.is_nil()) {
    return entries;
  }
  if (!reply.is_array()) {
    bad_shape(what, reply);
  }
  for (const Reply& per_stream : reply.elements()) {
    if (!per_stream.is_array() || per_stream.elements().size() != 2 || !per_stream.elements()[0].is_string() ||
        !per_stream.elements()[1].is_array()) {
      bad_shape(what, per_stream);
    }
    const std::string& name = per_stream.elements()[0].str();
    for (const Reply& raw : per_stream.elements()[1].elements()) {
      entries.push_back(parse_entry(what, name, raw));
    }
  }
  return entries;
}

// Raises the client's command timeout above a BLOCK for the duration of one call.
class BlockingTimeout {
 public:
  BlockingTimeout(Client& client, std::chrono::milliseconds block) : client_(client), saved_(client.command_timeout()) {
    if (block.count() > 0 && saved_.count() > 0) {
      client_.set_command_timeout(saved_ + block + kBlockSlack);
      changed_ = true;
    }
  }
  ~BlockingTimeout() {
    if (changed_) {
      client_.set_command_timeout(saved_);
    }
  }
  BlockingTimeout(const BlockingTimeout&) = delete;
  BlockingTimeout& operator=(const BlockingTimeout&) = delete;

 private:
  Client& client_;
  std::chrono::milliseconds saved_;
  bool changed_ = false;
};

// XREAD / XREADGROUP: `argv` (the command and its GROUP part), [COUNT count] [BLOCK block],
// STREAMS `tail` (the stream names, then one id per stream).
std::vector<StreamEntry> read_streams(Client& client, std::vector<std::string> argv, std::size_t count,
                                      std::chrono::milliseconds block, const std::vector<std::string>& tail) {
  if (count > 0) {
    argv.emplace_back("COUNT");
    argv.push_back(std::to_string(count));
  }
  if (block.count() > 0) {
    argv.emplace_back("BLOCK");
    argv.push_back(std::to_string(block.count()));
  }
  argv.emplace_back("STREAMS");
  argv.insert(argv.end(), tail.begin(), tail.end());
  Reply reply;
  {
    const BlockingTimeout extended(client, block);
    reply = client.command(argv);
  }
  return parse_read_reply(argv[0], reply);
}

}  // namespace

const std::string* StreamEntry::field(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

std::string dead_letter_stream(std::string_view stream) { return std::string(stream) + ":dead"; }

std::string xadd(Client& client, std::string_view stream, const StreamFields& fields,
                 std::optional<std::size_t> maxlen_approx) {
  if (fields.empty()) {
    throw std::invalid_argument("redis XADD: an entry needs at least one field");
  }
  std::vector<std::string> argv;
  argv.reserve(6 + fields.size() * 2);
  argv.emplace_back("XADD");
  argv.emplace_back(stream);
  if (maxlen_approx.has_value()) {
    argv.emplace_back("MAXLEN");
    argv.emplace_back("~");
    argv.push_back(std::to_string(*maxlen_approx));
  }
  argv.emplace_back("*");
  for (const auto& [key, value] : fields) {
    argv.push_back(key);
    argv.push_back(value);
  }
  const Reply reply = client.command(argv);
  throw_if_error("XADD", reply);
  if (!reply.is_string()) {
    bad_shape("XADD", reply);
  }
  return reply.str();
}

void ensure_group(Client& client, std::string_view stream, std::string_view group, std::string_view start_id) {
  const Reply reply = client.command({"XGROUP", "CREATE", stream, group, start_id, "MKSTREAM"});
  if (reply.is_error_with_prefix("BUSYGROUP")) {
    return;
  }
  throw_if_error("XGROUP CREATE", reply);
}

std::vector<StreamEntry> read_group(Client& client, std::string_view group, std::string_view consumer,
                                    const std::vector<std::string>& streams, std::size_t count,
                                    std::chrono::milliseconds block) {
  if (streams.empty()) {
    throw std::invalid_argument("redis XREADGROUP: no stream given");
  }
  std::vector<std::string> tail(streams.begin(), streams.end());
  tail.insert(tail.end(), streams.size(), ">");
  return read_streams(client, {"XREADGROUP", "GROUP", std::string(group), std::string(consumer)}, count, block, tail);
}

std::vector<StreamEntry> read_after(Client& client, std::string_view stream, std::string_view after_id,
                                    std::size_t count, std::chrono::milliseconds block) {
  return read_streams(client, {"XREAD"}, count, block, {std::string(stream), std::string(after_id)});
}

std::string last_id(Client& client, std::string_view stream) {
  const Reply reply = client.command({"XREVRANGE", stream, "+", "-", "COUNT", "1"});
  throw_if_error("XREVRANGE", reply);
  if (!reply.is_array()) {
    bad_shape("XREVRANGE", reply);
  }
  if (reply.elements().empty()) {
    return "0-0";
  }
  return parse_entry("XREVRANGE", stream, reply.elements()[0]).id;
}

std::size_t ack(Client& client, std::string_view stream, std::string_view group, const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return 0;
  }
  std::vector<std::string> argv{"XACK", std::string(stream), std::string(group)};
  argv.insert(argv.end(), ids.begin(), ids.end());
  const Reply reply = client.command(argv);
  throw_if_error("XACK", reply);
  return static_cast<std::size_t>(reply.as_integer());
}

ClaimResult reclaim(Client& client, std::string_view stream, std::string_view group, std::string_view consumer,
                    std::chrono::milliseconds min_idle, std::size_t count, std::int64_t max_deliveries,
                    std::string_view cursor) {
  const std::string min_idle_ms = std::to_string(min_idle.count() < 0 ? 0 : min_idle.count());
  const std::string count_text = std::to_string(count);
  const Reply reply =
      count == 0 ? client.command({"XAUTOCLAIM", stream, group, consumer, min_idle_ms, cursor})
                 : client.command({"XAUTOCLAIM", stream, group, consumer, min_idle_ms, cursor, "COUNT", count_text});
  throw_if_error("XAUTOCLAIM", reply);
  // [next cursor, [entries...]] (+ [deleted ids...] since Redis 7)
  if (!reply.is_array() || reply.elements().size() < 2 || !reply.elements()[0].is_string() ||
      !reply.elements()[1].is_array()) {
    bad_shape("XAUTOCLAIM", reply);
  }
  ClaimResult result;
  result.next_cursor = reply.elements()[0].str();
  std::vector<StreamEntry> taken;
  for (const Reply& raw : reply.elements()[1].elements()) {
    if (raw.is_array() && raw.elements().size() == 2 && raw.elements()[1].is_nil()) {
      continue;  // Redis 6.2 reports entries deleted while pending this way; nothing to process
    }
    taken.push_back(parse_entry("XAUTOCLAIM", stream, raw));
  }
  if (taken.empty()) {
    return result;
  }

  // Delivery counts (XAUTOCLAIM has just incremented them), one XPENDING per id, pipelined.
  std::vector<std::vector<std::string>> queries;
  queries.reserve(taken.size());
  for (const StreamEntry& entry : taken) {
    queries.push_back({"XPENDING", std::string(stream), std::string(group), entry.id, entry.id, "1"});
  }
  const std::vector<Reply> pending = client.pipeline(queries);

  const std::string dead = dead_letter_stream(stream);
  for (std::size_t i = 0; i < taken.size(); ++i) {
    throw_if_error("XPENDING", pending[i]);
    if (!pending[i].is_array()) {
      bad_shape("XPENDING", pending[i]);
    }
    if (pending[i].elements().empty()) {
      continue;  // acknowledged in the meantime
    }
    // [id, consumer, idle ms, deliveries]
    const Reply& info = pending[i].elements()[0];
    if (!info.is_array() || info.elements().size() != 4) {
      bad_shape("XPENDING", info);
    }
    if (info.elements()[1].as_string() != consumer) {
      continue;  // another consumer claimed it in the meantime
    }
    StreamEntry entry = std::move(taken[i]);
    entry.deliveries = info.elements()[3].as_integer();
    if (max_deliveries <= 0 || entry.deliveries < max_deliveries) {
      result.claimed.push_back(std::move(entry));
      continue;
    }
    const Reply moved =
        dead_letter_script().eval(client, {std::string(stream), dead}, {std::string(group), entry.id, std::string(consumer)});
    throw_if_error("dead-letter script", moved);
    if (moved.is_string()) {
      result.dead_lettered.push_back(std::move(entry));
    }
    // 0: no longer ours; -1: deleted meanwhile (acknowledged, nothing to move)
  }
  return result;
}

std::size_t replay_dead_letters(Client& client, std::string_view stream, std::size_t count) {
  if (count == 0) {
    return 0;
  }
  const Reply reply =
      replay_script().eval(client, {std::string(stream), dead_letter_stream(stream)}, {std::to_string(count)});
  throw_if_error("replay dead letters", reply);
  return static_cast<std::size_t>(reply.as_integer());
}

}  // namespace herald::core::redis
