#include "scheduler/governor.hpp"

#include <cmath>

#include "herald/adapters/adapter.hpp"
#include "services/core/redis/script.hpp"

namespace herald::scheduler {
namespace {

using core::redis::Script;

// KEYS: app account endpoint; ARGV: now, then (capacity, window_ms) per key. A bucket with
// capacity 0 has no known limit: only a block from observe() applies to it.
// -> {1, 0, 0} granted, or {0, wait_ms, index of the limiting bucket}
const Script kTake("governor.take", R"lua(
local now = tonumber(ARGV[1])
local wait, by = 0, 0
local take = {}
for i = 1, 3 do
  local cap = tonumber(ARGV[2 * i])
  local win = tonumber(ARGV[2 * i + 1])
  local h = redis.call('HMGET', KEYS[i], 'tokens', 'ts', 'blocked_until')
  local w = 0
  local blocked = tonumber(h[3]) or 0
  if blocked > now then w = blocked - now end
  if cap > 0 and win > 0 then
    local rate = cap / win
    local tokens = tonumber(h[1]) or cap
    local ts = tonumber(h[2]) or now
    if now > ts then tokens = math.min(cap, tokens + (now - ts) * rate) end
    if w == 0 and tokens < 1 then w = math.ceil((1 - tokens) / rate) end
    take[#take + 1] = {i, tokens, win}
  end
  if w > wait then wait, by = w, i end
end
if wait > 0 then return {0, wait, by} end
for _, t in ipairs(take) do
  redis.call('HSET', KEYS[t[1]], 'tokens', tostring(t[2] - 1), 'ts', now)
  redis.call('PEXPIRE', KEYS[t[1]], 2 * t[3])
end
return {1, 0, 0}
)lua");

// KEYS: bucket; ARGV: now remaining reset_at capacity window_ms
const Script kObserve("governor.observe", R"lua(
local now = tonumber(ARGV[1])
local remaining = tonumber(ARGV[2])
local reset_at = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
local win = tonumber(ARGV[5])
local h = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(h[1]) or cap
local ts = tonumber(h[2]) or now
if cap > 0 and win > 0 and now > ts then tokens = math.min(cap, tokens + (now - ts) * cap / win) end
if remaining < tokens then tokens = remaining end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
if remaining <= 0 and reset_at > now then
  redis.call('HSET', KEYS[1], 'blocked_until', reset_at)
end
local ttl = math.max(2 * win, reset_at - now + win, 60000)
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
)lua");

adapters::RateLimit scaled(adapters::RateLimit r, double scale) {
  if (r.requests > 0 && scale != 1.0) {
    r.requests = static_cast<int>(std::min(2e9, std::ceil(r.requests * scale)));
  }
  return r;
}

std::optional<adapters::Capabilities> registry_capabilities(const std::string& platform) {
  auto adapter = adapters::make_adapter(platform, adapters::Endpoint{});
  if (!adapter) return std::nullopt;
  return adapter->capabilities();
}

void add_limit(std::vector<std::string>& args, const adapters::RateLimit& r) {
  bool known = r.requests > 0 && r.window_seconds > 0;
  args.push_back(std::to_string(known ? r.requests : 0));
  args.push_back(std::to_string(known ? static_cast<std::int64_t>(r.window_seconds) * 1000 : 0));
}

core::redis::Reply checked(core::redis::Reply r, const Script& s) {
  if (r.is_error()) throw core::redis::ReplyError(s.name() + ": " + r.str());
  return r;
}

}  // namespace

Governor::Governor(std::string prefix, GovernorOptions options)
    : prefix_(std::move(prefix)), options_(std::move(options)) {
  if (!options_.capabilities) options_.capabilities = registry_capabilities;
}

PlatformLimits Governor::limits(const std::string& platform) const {
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(platform); it != cache_.end()) return it->second;
  PlatformLimits l;
  if (auto o = options_.overrides.find(platform); o != options_.overrides.end()) {
    l = o->second;
  } else if (auto caps = options_.capabilities(platform)) {
    l.app = caps->app_limit;
    l.account = caps->publish_limit;
  }
  l.app = scaled(l.app, options_.scale);
  l.account = scaled(l.account, options_.scale);
  for (auto& [name, r] : l.endpoints) r = scaled(r, options_.scale);
  cache_[platform] = l;
  return l;
}

std::string Governor::app_key(const std::string& platform) const { return prefix_ + ":{gov}:app:" + platform; }

std::string Governor::account_key(const std::string& platform, const std::string& account) const {
  return prefix_ + ":{gov}:acct:" + platform + ":" + account;
}

std::string Governor::endpoint_key(const std::string& platform, const std::string& account,
                                   const std::string& endpoint) const {
  return prefix_ + ":{gov}:ep:" + platform + ":" + account + ":" + endpoint;
}

Grant Governor::take(core::redis::Client& redis, const std::string& platform, const std::string& account,
                     const std::string& endpoint, std::int64_t now_ms) const {
  const auto l = limits(platform);
  adapters::RateLimit ep;
  if (auto it = l.endpoints.find(endpoint); it != l.endpoints.end()) ep = it->second;
  std::vector<std::string> args{std::to_string(now_ms)};
  add_limit(args, l.app);
  add_limit(args, l.account);
  add_limit(args, ep);
  auto r = checked(
      kTake.eval(redis, {app_key(platform), account_key(platform, account), endpoint_key(platform, account, endpoint)},
                 args),
      kTake);
  const auto& e = r.elements();
  Grant g;
  g.ok = e.at(0).as_integer() == 1;
  g.wait_ms = e.at(1).as_integer();
  static const char* const kNames[] = {"", "app", "account", "endpoint"};
  auto by = e.at(2).as_integer();
  if (by >= 1 && by <= 3) g.limited_by = kNames[by];
  return g;
}

void Governor::observe(core::redis::Client& redis, const std::string& platform, const std::string& account,
                       std::int64_t remaining, std::int64_t reset_at_ms, std::int64_t now_ms,
                       const std::string& endpoint) const {
  const auto l = limits(platform);
  adapters::RateLimit r = l.account;
  std::string key = account_key(platform, account);
  if (!endpoint.empty()) {
    r = {};
    if (auto it = l.endpoints.find(endpoint); it != l.endpoints.end()) r = it->second;
    key = endpoint_key(platform, account, endpoint);
  }
  std::vector<std::string> args{std::to_string(now_ms), std::to_string(remaining), std::to_string(reset_at_ms)};
  add_limit(args, r);
  checked(kObserve.eval(redis, {key}, args), kObserve);
}

void Governor::reset(core::redis::Client& redis, const std::string& platform, const std::string& account,
                     const std::string& endpoint) const {
  redis.checked({"DEL", app_key(platform), account_key(platform, account), endpoint_key(platform, account, endpoint)});
}

}  // namespace herald::scheduler
