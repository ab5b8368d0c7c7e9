#include "services/contracts/gate/send_gate.hpp"

#include <charconv>

#include "services/core/redis/script.hpp"

namespace herald::contracts::gate {
namespace {

using core::redis::Reply;
using core::redis::Script;


// KEYS: state scopes inflight done
// ARGV: send_key now_ms lease_ms worker min_epoch exempt take_over scope...
// -> {verdict, epoch, matched}
const Script kBegin("send_gate.begin", R"lua(
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then return {'fence_absent', 0, ''} end
epoch = tonumber(epoch)
if epoch < tonumber(ARGV[5]) then return {'fence_stale', epoch, ''} end
if redis.call('ZSCORE', KEYS[4], ARGV[1]) then return {'already_done', epoch, ''} end
local now = tonumber(ARGV[2])
local cur = redis.call('HGET', KEYS[3], ARGV[1])
if cur then
  local lease_until = tonumber(string.match(cur, '^(%d+)'))
  if lease_until > now then return {'in_flight', epoch, cur} end
  if ARGV[7] ~= '1' then return {'lease_expired', epoch, cur} end
end
if ARGV[6] ~= '1' then
  for i = 8, #ARGV do
    if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 1 then return {'frozen', epoch, ARGV[i]} end
  end
end
redis.call('HSET', KEYS[3], ARGV[1], (now + tonumber(ARGV[3])) .. '|' .. ARGV[4] .. '|' .. now .. '|' .. epoch)
return {'open', epoch, ''}
)lua");

// KEYS: inflight done; ARGV: send_key worker settle(done|release) now_ms -> 1 if the lease was ours
const Script kEnd("send_gate.end", R"lua(
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local ours = 0
if cur then
  local worker = string.match(cur, '^%d+|(.-)|')
  if worker == ARGV[2] then
    redis.call('HDEL', KEYS[1], ARGV[1])
    ours = 1
  end
end
if ARGV[3] == 'done' and (ours == 1 or not cur) then
  redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[1])
end
return ours
)lua");

// KEYS: state scopes inflight; ARGV: epoch now_ms scope... -> {applied, epoch, inflight hash...}
const Script kPublish("fence.publish", R"lua(
local cur = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '-1')
local epoch = tonumber(ARGV[1])
if epoch < cur then return {0, cur} end
redis.call('DEL', KEYS[2])
for i = 3, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'epoch', epoch, 'loaded_ms', ARGV[2])
local out = {1, epoch}
local inflight = redis.call('HGETALL', KEYS[3])
for i = 1, #inflight do out[#out + 1] = inflight[i] end
return out
)lua");

// KEYS: state; ARGV: epoch now_ms -> 1 when loaded now
const Script kEnsure("fence.ensure_loaded", R"lua(
if redis.call('HEXISTS', KEYS[1], 'epoch') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'loaded_ms', ARGV[2])
return 1
)lua");

Reply checked(Reply r, const Script& s) {
  if (r.is_error()) throw core::redis::ReplyError(s.name() + ": " + r.str());
  return r;
}

std::int64_t to_i64(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::optional<InFlight> parse_lease(const std::string& key, const std::string& record) {
  // lease_until|worker|started|epoch (the worker name never holds '|': SendGate callers pick it)
  auto a = record.find('|');
  auto b = record.rfind('|');
  if (a == std::string::npos || b == a) return std::nullopt;
  auto c = record.rfind('|', b - 1);
  if (c == std::string::npos || c <= a) return std::nullopt;
  InFlight f;
  f.send_key = key;
  f.lease_until_ms = to_i64(std::string_view(record).substr(0, a));
  f.worker = record.substr(a + 1, c - a - 1);
  f.started_ms = to_i64(std::string_view(record).substr(c + 1, b - c - 1));
  return f;
}

std::vector<InFlight> leases_from(const std::vector<Reply>& flat, std::size_t from, std::int64_t now_ms) {
  std::vector<InFlight> out;
  for (std::size_t i = from; i + 1 < flat.size(); i += 2) {
    auto f = parse_lease(flat[i].as_string(), flat[i + 1].as_string());
    if (f && f->lease_until_ms > now_ms) out.push_back(std::move(*f));
  }
  return out;
}

}  // namespace

std::vector<std::string> scope_keys(const SendScope& s) {
  std::vector<std::string> keys{"all"};
  if (!s.org_id.empty()) keys.push_back("org:" + s.org_id);
  if (!s.brand_id.empty()) keys.push_back("brand:" + s.brand_id);
  if (!s.platform.empty()) keys.push_back("platform:" + s.platform);
  if (!s.org_id.empty() && !s.platform.empty()) keys.push_back("org:" + s.org_id + ":platform:" + s.platform);
  if (!s.account_id.empty()) keys.push_back("account:" + s.account_id);
  if (!s.campaign_id.empty()) keys.push_back("campaign:" + s.campaign_id);
  for (const auto& t : s.tags) {
    if (t.empty()) continue;
    keys.push_back("tag:" + t);
    if (!s.org_id.empty()) keys.push_back("org:" + s.org_id + ":tag:" + t);
  }
  return keys;
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kOpen: return "open";
    case Verdict::kFrozen: return "frozen";
    case Verdict::kFenceAbsent: return "fence_absent";
    case Verdict::kFenceStale: return "fence_stale";
    case Verdict::kInFlight: return "in_flight";
    case Verdict::kLeaseExpired: return "lease_expired";
    case Verdict::kAlreadyDone: return "already_done";
  }
  return "unknown";
}

Decision SendGate::begin(core::redis::Client& redis, const BeginRequest& r) const {
  if (r.send_key.empty()) throw std::invalid_argument("send gate: empty send key");
  if (r.worker.empty() || r.worker.find('|') != std::string::npos) {
    throw std::invalid_argument("send gate: worker name must be non-empty and hold no '|'");
  }
  std::vector<std::string> args{r.send_key,
                                std::to_string(r.now_ms),
                                std::to_string(r.lease_ms),
                                r.worker,
                                std::to_string(r.min_epoch),
                                r.scope.exempt ? "1" : "0",
                                r.take_over ? "1" : "0"};
  for (auto& k : scope_keys(r.scope)) args.push_back(std::move(k));
  auto reply = checked(kBegin.eval(redis, {keys_.state, keys_.scopes, keys_.inflight, keys_.done}, args), kBegin);
  const auto& e = reply.elements();
  Decision d;
  const auto& v = e.at(0).as_string();
  d.epoch = e.at(1).as_integer();
  d.matched = e.at(2).as_string();
  if (v == "open") {
    d.verdict = Verdict::kOpen;
  } else if (v == "frozen") {
    d.verdict = Verdict::kFrozen;
  } else if (v == "fence_stale") {
    d.verdict = Verdict::kFenceStale;
  } else if (v == "in_flight") {
    d.verdict = Verdict::kInFlight;
  } else if (v == "lease_expired") {
    d.verdict = Verdict::kLeaseExpired;
  } else if (v == "already_done") {
    d.verdict = Verdict::kAlreadyDone;
  } else {
    d.verdict = Verdict::kFenceAbsent;
  }
  return d;
}

bool SendGate::end(core::redis::Client& redis, const std::string& send_key, const std::string& worker, Settle settle,
                   std::int64_t now_ms) const {
  auto reply = checked(kEnd.eval(redis, {keys_.inflight, keys_.done},
                                 {send_key, worker, settle == Settle::kDone ? "done" : "release", std::to_string(now_ms)}),
                       kEnd);
  return reply.as_integer() == 1;
}

std::vector<InFlight> SendGate::in_flight(core::redis::Client& redis, std::int64_t now_ms) const {
  auto reply = redis.checked({"HGETALL", keys_.inflight});
  return leases_from(reply.elements(), 0, now_ms);
}

bool SendGate::done(core::redis::Client& redis, const std::string& send_key) const {
  return !redis.checked({"ZSCORE", keys_.done, send_key}).is_nil();
}

std::int64_t SendGate::trim_done(core::redis::Client& redis, std::int64_t before_ms) const {
  return redis.checked({"ZREMRANGEBYSCORE", keys_.done, "-inf", "(" + std::to_string(before_ms)}).as_integer();
}

Fence::Applied Fence::publish(core::redis::Client& redis, std::int64_t epoch, const std::vector<std::string>& scopes,
                              std::int64_t now_ms) const {
  std::vector<std::string> args{std::to_string(epoch), std::to_string(now_ms)};
  args.insert(args.end(), scopes.begin(), scopes.end());
  auto reply = checked(kPublish.eval(redis, {keys_.state, keys_.scopes, keys_.inflight}, args), kPublish);
  const auto& e = reply.elements();
  Applied a;
  a.applied = e.at(0).as_integer() == 1;
  a.epoch = e.at(1).as_integer();
  if (a.applied) a.in_flight = leases_from(e, 2, now_ms);
  return a;
}

bool Fence::ensure_loaded(core::redis::Client& redis, std::int64_t epoch, std::int64_t now_ms) const {
  auto reply = checked(kEnsure.eval(redis, {keys_.state}, {std::to_string(epoch), std::to_string(now_ms)}), kEnsure);
  return reply.as_integer() == 1;
}

std::optional<std::int64_t> Fence::epoch(core::redis::Client& redis) const {
  auto v = redis.checked({"HGET", keys_.state, "epoch"}).as_optional_string();
  if (!v) return std::nullopt;
  return to_i64(*v);
}

std::vector<std::string> Fence::scopes(core::redis::Client& redis) const {
  std::vector<std::string> out;
  auto reply = redis.checked({"SMEMBERS", keys_.scopes});
  for (const auto& r : reply.elements()) out.push_back(r.as_string());
  return out;
}

void Fence::clear(core::redis::Client& redis) const {
  redis.checked({"DEL", keys_.state, keys_.scopes, keys_.inflight, keys_.done});
}

}  // namespace herald::contracts::gate
