#include "scheduler/dispatch/due_set.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "services/core/redis/script.hpp"

namespace herald::scheduler {
namespace {

using core::redis::Reply;
using core::redis::Script;

// KEYS: due jobs sent last; ARGV: target cv attempt due_ms value only_missing
// -> 0 added, 1 kept (or, only_missing, older than the last one that left), 2 dispatched already,
//    3 held already, 4 cancelled (only_missing)
const Script kAdd("scheduler.add", R"lua(
local key = ARGV[1] .. ':' .. ARGV[2] .. ':' .. ARGV[3]
if redis.call('ZSCORE', KEYS[3], 'd:' .. key) then return 2 end
if redis.call('ZSCORE', KEYS[3], 'h:' .. key) then return 3 end
if ARGV[6] == '1' then
  if redis.call('ZSCORE', KEYS[3], 'c:' .. key) then return 4 end
  if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 1 end
  local last = redis.call('HGET', KEYS[4], ARGV[1])
  if last then
    local lcv, lat = string.match(last, '^(%d+)|(%d+)')
    lcv = tonumber(lcv)
    lat = tonumber(lat)
    local ncv = tonumber(ARGV[2])
    if lcv > ncv or (lcv == ncv and lat > tonumber(ARGV[3])) then return 1 end
  end
else
  redis.call('ZREM', KEYS[3], 'c:' .. key)
  local cur = redis.call('HGET', KEYS[2], ARGV[1])
  if cur then
    local cv, at = string.match(cur, '^(%d+)|(%d+)|')
    cv = tonumber(cv)
    at = tonumber(at)
    local ncv = tonumber(ARGV[2])
    local nat = tonumber(ARGV[3])
    if cv > ncv or (cv == ncv and at > nat) then return 1 end
  end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
return 0
)lua");

// KEYS: due jobs sent; ARGV: target cv attempt now_ms -> 1 when removed
const Script kCancel("scheduler.cancel", R"lua(
redis.call('ZADD', KEYS[3], ARGV[4], 'c:' .. ARGV[1] .. ':' .. ARGV[2] .. ':' .. ARGV[3])
local cur = redis.call('HGET', KEYS[2], ARGV[1])
if not cur then return 0 end
local cv, at = string.match(cur, '^(%d+)|(%d+)|')
if cv ~= ARGV[2] or at ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
)lua");

// The claim (DESIGN.md sections 3 and 5).
// KEYS: due jobs sent fence_state fence_scopes last lastz; ARGV: now_ms limit prefix
// -> {status, next_due, then per job: kind ('d'|'h'), target, cv, attempt, org, platform, scope, due}
// The scopes mirror contracts::gate::scope_keys(): "all", org:, brand:, platform:, org:..:platform:,
// account:, campaign:, tag:, org:..:tag:. A job is decoded only while some freeze is active.
const Script kClaim("scheduler.claim", R"lua(
local function first_due()
  local f = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return f[2] or ''
end
if not redis.call('HGET', KEYS[4], 'epoch') then return {'fence_absent', first_due()} end
local now = tonumber(ARGV[1])
local scored = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local ids = {}
local dues = {}
for i = 1, #scored, 2 do
  ids[#ids + 1] = scored[i]
  dues[#dues + 1] = scored[i + 1]
end
local frozen = redis.call('SCARD', KEYS[5]) > 0
local function add(list, prefix, v)
  if type(v) == 'string' and v ~= '' then list[#list + 1] = prefix .. v end
end
local out = {'ok', ''}
if #ids == 0 then
  out[2] = first_due()
  return out
end
-- The claimed ids are the lowest ranks: one call each to read, unlink and mark them all.
local vals = redis.call('HMGET', KEYS[2], unpack(ids))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #ids - 1)
redis.call('HDEL', KEYS[2], unpack(ids))
local marks = {}
local last = {}
local lastz = {}
for i, id in ipairs(ids) do
  local v = vals[i]
  if v then
    local cv, at, platform, org, body = string.match(v, '^(%d+)|(%d+)|([^|]*)|([^|]*)|(.*)$')
    local key = id .. ':' .. cv .. ':' .. at
    local matched = nil
    if frozen then
      local ok, job = pcall(cjson.decode, body)
      if not ok or type(job) ~= 'table' then
        matched = 'all'
      elseif job.crisis_statement ~= true then
        local scopes = {'all'}
        local o = job.org_id
        if type(o) ~= 'string' or o == '' then o = nil end
        if o then scopes[#scopes + 1] = 'org:' .. o end
        add(scopes, 'brand:', job.brand_id)
        add(scopes, 'platform:', job.platform)
        if o then add(scopes, 'org:' .. o .. ':platform:', job.platform) end
        add(scopes, 'account:', job.account_id)
        add(scopes, 'campaign:', job.campaign_id)
        if type(job.tags) == 'table' then
          for _, t in ipairs(job.tags) do
            add(scopes, 'tag:', t)
            if o then add(scopes, 'org:' .. o .. ':tag:', t) end
          end
        end
        for _, s in ipairs(scopes) do
          if redis.call('SISMEMBER', KEYS[5], s) == 1 then matched = s break end
        end
      end
    end
    marks[#marks + 1] = now
    last[#last + 1] = id
    last[#last + 1] = cv .. '|' .. at
    lastz[#lastz + 1] = now
    lastz[#lastz + 1] = id
    if matched then
      marks[#marks + 1] = 'h:' .. key
      out[#out + 1] = 'h'
    else
      redis.call('XADD', ARGV[3] .. ':publish:' .. platform, '*', 'payload',
                 '{"type":"dispatch.job","v":1,"id":"dispatch:' .. key .. '","ts":' .. ARGV[1] ..
                 ',"trace_id":"","data":' .. body .. '}')
      marks[#marks + 1] = 'd:' .. key
      out[#out + 1] = 'd'
    end
    out[#out + 1] = id
    out[#out + 1] = cv
    out[#out + 1] = at
    out[#out + 1] = org
    out[#out + 1] = platform
    out[#out + 1] = matched or ''
    out[#out + 1] = dues[i]
  end
end
if #marks > 0 then
  redis.call('ZADD', KEYS[3], unpack(marks))
  redis.call('HSET', KEYS[6], unpack(last))
  redis.call('ZADD', KEYS[7], unpack(lastz))
end
out[2] = first_due()
return out
)lua");

// KEYS: sent last lastz; ARGV: before_ms -> how many settled marks were dropped
const Script kTrim("scheduler.trim", R"lua(
local n = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
while true do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[1], 'LIMIT', 0, 2000)
  if #ids == 0 then break end
  redis.call('HDEL', KEYS[2], unpack(ids))
  redis.call('ZREM', KEYS[3], unpack(ids))
end
return n
)lua");

Reply checked(Reply r, const Script& s) {
  if (r.is_error()) throw core::redis::ReplyError(s.name() + ": " + r.str());
  return r;
}

std::int64_t to_i64(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) {
    // Scores may come back as a double's text ("1.8e+12" for very large values).
    return static_cast<std::int64_t>(std::llround(std::stod(s)));
  }
  return v;
}

std::optional<std::int64_t> score_of(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return to_i64(s);
}

AddResult add_result(std::int64_t code) {
  switch (code) {
    case 0: return AddResult::kAdded;
    case 2: return AddResult::kDispatched;
    case 3: return AddResult::kHeld;
    case 4: return AddResult::kCancelled;
    default: return AddResult::kKept;
  }
}

std::string value_of(const DueEntry& e) {
  return std::to_string(e.content_version) + "|" + std::to_string(e.attempt) + "|" + e.platform + "|" + e.org_id +
         "|" + e.payload;
}

// EVALSHA for every call in one pipeline; a NOSCRIPT answer (a restarted Redis) loads the script
// and repeats that call alone.
std::vector<Reply> eval_pipelined(core::redis::Client& redis, const Script& script,
                                  const std::vector<std::vector<std::string>>& keys,
                                  const std::vector<std::vector<std::string>>& args) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    std::vector<std::string> argv{"EVALSHA", script.sha(), std::to_string(keys[i].size())};
    argv.insert(argv.end(), keys[i].begin(), keys[i].end());
    argv.insert(argv.end(), args[i].begin(), args[i].end());
    commands.push_back(std::move(argv));
  }
  auto replies = redis.pipeline(commands);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    if (replies[i].is_error_with_prefix("NOSCRIPT")) replies[i] = script.eval(redis, keys[i], args[i]);
    checked(replies[i], script);
  }
  return replies;
}

void require_safe(const DueEntry& e) {
  auto bad = [](char c) { return c == '|' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; };
  for (const auto* s : {&e.target_id, &e.platform, &e.org_id}) {
    if (s->empty() && s != &e.org_id) throw std::invalid_argument("due set: empty target id or platform");
    for (char c : *s) {
      if (bad(c)) throw std::invalid_argument("due set: target id, platform or org id holds a reserved character");
    }
  }
  if (e.target_id.find(':') != std::string::npos) throw std::invalid_argument("due set: target id holds ':'");
}

constexpr std::size_t kMaxClaim = 2000;

}  // namespace

DueSet::DueSet(std::string prefix) : keys_(prefix), fence_(prefix) {}

AddResult DueSet::add(core::redis::Client& redis, const DueEntry& entry) const {
  return add_many(redis, {entry}).at(0);
}

std::vector<AddResult> DueSet::add_many(core::redis::Client& redis, const std::vector<DueEntry>& entries) const {
  return add_pipelined(redis, entries, false);
}

std::vector<AddResult> DueSet::add_missing(core::redis::Client& redis, const std::vector<DueEntry>& entries) const {
  return add_pipelined(redis, entries, true);
}

std::vector<AddResult> DueSet::add_pipelined(core::redis::Client& redis, const std::vector<DueEntry>& entries,
                                             bool only_missing) const {
  if (entries.empty()) return {};
  std::vector<std::vector<std::string>> keys;
  std::vector<std::vector<std::string>> args;
  keys.reserve(entries.size());
  args.reserve(entries.size());
  for (const auto& e : entries) {
    require_safe(e);
    keys.push_back({keys_.due, keys_.jobs, keys_.sent, keys_.last});
    args.push_back({e.target_id, std::to_string(e.content_version), std::to_string(e.attempt), std::to_string(e.due_ms),
                    value_of(e), only_missing ? "1" : "0"});
  }
  std::vector<AddResult> out;
  out.reserve(entries.size());
  for (const auto& r : eval_pipelined(redis, kAdd, keys, args)) out.push_back(add_result(r.as_integer()));
  return out;
}

bool DueSet::cancel(core::redis::Client& redis, const std::string& target_id, std::int64_t content_version,
                    std::int64_t attempt, std::int64_t now_ms) const {
  auto r = checked(kCancel.eval(redis, {keys_.due, keys_.jobs, keys_.sent},
                                {target_id, std::to_string(content_version), std::to_string(attempt),
                                 std::to_string(now_ms)}),
                   kCancel);
  return r.as_integer() == 1;
}

ClaimBatch DueSet::claim(core::redis::Client& redis, std::int64_t now_ms, std::size_t limit) const {
  // unpack() in the script passes up to 2 values per job on Lua's C stack (at most 8000).
  limit = std::clamp<std::size_t>(limit, 1, kMaxClaim);
  const std::vector<std::string> keys{keys_.due,     keys_.jobs, keys_.sent, fence_.state,
                                      fence_.scopes, keys_.last, keys_.lastz};
  auto r = checked(kClaim.eval(redis, keys, {std::to_string(now_ms), std::to_string(limit), keys_.prefix}), kClaim);
  const auto& e = r.elements();
  ClaimBatch batch;
  batch.fence_absent = e.at(0).as_string() == "fence_absent";
  batch.next_due_ms = score_of(e.at(1).as_string());
  batch.claimed.reserve((e.size() - 2) / 8);
  for (std::size_t i = 2; i + 7 < e.size(); i += 8) {
    Claimed c;
    c.held = e[i].as_string() == "h";
    c.target_id = e[i + 1].as_string();
    c.content_version = to_i64(e[i + 2].as_string());
    c.attempt = to_i64(e[i + 3].as_string());
    c.org_id = e[i + 4].as_string();
    c.platform = e[i + 5].as_string();
    c.scope = e[i + 6].as_string();
    c.due_ms = to_i64(e[i + 7].as_string());
    batch.claimed.push_back(std::move(c));
  }
  return batch;
}

std::optional<std::int64_t> DueSet::next_due(core::redis::Client& redis) const {
  auto r = redis.checked({"ZRANGE", keys_.due, "0", "0", "WITHSCORES"});
  if (r.elements().size() < 2) return std::nullopt;
  return score_of(r.elements()[1].as_string());
}

std::int64_t DueSet::size(core::redis::Client& redis) const {
  return redis.checked({"ZCARD", keys_.due}).as_integer();
}

std::int64_t DueSet::trim_marks(core::redis::Client& redis, std::int64_t before_ms) const {
  return checked(kTrim.eval(redis, {keys_.sent, keys_.last, keys_.lastz}, {std::to_string(before_ms)}), kTrim)
      .as_integer();
}

bool DueSet::marked(core::redis::Client& redis, char kind, const std::string& target_id,
                    std::int64_t content_version, std::int64_t attempt) const {
  std::string member = std::string(1, kind) + ":" + job_key(target_id, content_version, attempt);
  return !redis.checked({"ZSCORE", keys_.sent, member}).is_nil();
}

void DueSet::clear(core::redis::Client& redis) const {
  redis.checked({"DEL", keys_.due, keys_.jobs, keys_.sent, keys_.last, keys_.lastz});
}

}  // namespace herald::scheduler
