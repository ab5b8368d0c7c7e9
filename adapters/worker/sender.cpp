#include "adapters/worker/sender.hpp"

#include <random>
#include <utility>
#include <vector>

#include "services/core/redis/streams.hpp"

namespace herald::worker {
namespace {

using contracts::Outcome;
using contracts::gate::Settle;
using contracts::gate::Verdict;

// The path of a URL without scheme, host or query (a query may carry a token: WeChat).
std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  auto start = scheme == std::string::npos ? 0 : url.find('/', scheme + 3);
  if (start == std::string::npos) return "/";
  auto end = url.find_first_of("?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Records what each request was (method, path, status) for the ledger, never headers or bodies.
class RecordingTransport final : public adapters::Transport {
 public:
  explicit RecordingTransport(adapters::Transport& inner) : inner_(inner) {}
  adapters::HttpResponse send(const adapters::HttpRequest& request) override {
    auto r = inner_.send(request);
    if (!summary_.empty()) summary_ += "; ";
    summary_ += request.method + " " + path_of(request.url) + " -> ";
    if (r.transport_error) {
      summary_ += r.request_written ? "no answer (written)" : "not sent";
    } else {
      summary_ += std::to_string(r.status);
      last_status_ = r.status;
    }
    return r;
  }
  [[nodiscard]] const std::string& summary() const { return summary_; }
  [[nodiscard]] std::optional<int> last_status() const { return last_status_; }

 private:
  adapters::Transport& inner_;
  std::string summary_;
  std::optional<int> last_status_;
};

std::string class_name(adapters::ErrorClass c) { return std::string(adapters::to_string(c)); }

}  // namespace

adapters::PostContent post_content(const contracts::DispatchJob& job) {
  adapters::PostContent c;
  c.text = job.content.text;
  for (const auto& m : job.content.media) {
    adapters::Media media;
    media.kind = m.kind == "video" ? adapters::Media::Kind::kVideo : adapters::Media::Kind::kImage;
    media.url = m.url;
    media.mime_type = m.mime_type;
    media.bytes = m.bytes;
    media.width = m.width;
    media.height = m.height;
    media.duration_s = m.duration_s;
    media.alt_text = m.alt_text;
    c.media.push_back(std::move(media));
  }
  c.link = job.content.link;
  c.title = job.content.title;
  c.thread = job.content.thread;
  c.first_comment = job.content.first_comment;
  c.client_marker = job.marker;
  c.idempotency_key = job.send_key();
  return c;
}

contracts::gate::SendScope send_scope(const contracts::DispatchJob& job) {
  return contracts::gate::SendScope{job.brand_id, job.platform,         job.account_id, job.campaign_id,
                                    job.tags,     job.crisis_statement, job.org_id};
}

struct Sender::Call {
  explicit Call(Sender& s) : sender(s), recorder(s.d_.transport) {}
  AttemptRow row(const contracts::DispatchJob& job, std::string kind) {
    AttemptRow r;
    r.target_id = job.target_id;
    r.content_version = job.content_version;
    r.attempt = job.attempt;
    r.account_id = job.account_id;
    r.platform = job.platform;
    r.worker = sender.worker_;
    r.kind = std::move(kind);
    r.started_ms = started_ms;
    r.finished_ms = sender.now_ms();
    auto elapsed = sender.d_.clock.steady_now() - started;
    r.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    r.request_summary = recorder.summary();
    r.response_status = recorder.last_status();
    return r;
  }
  Sender& sender;
  RecordingTransport recorder;
  std::int64_t started_ms = sender.now_ms();
  std::chrono::steady_clock::time_point started = sender.d_.clock.steady_now();
};

Sender::Sender(Deps deps, std::string worker, SenderOptions options)
    : d_(std::move(deps)), worker_(std::move(worker)), options_(std::move(options)), prng_(std::random_device{}()) {
  if (prng_ == 0) prng_ = 0x9E3779B97F4A7C15ULL;
}

std::int64_t Sender::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d_.clock.now().time_since_epoch()).count();
}

double Sender::draw() {
  if (options_.random01) return options_.random01();
  prng_ ^= prng_ << 13;  // xorshift64: jitter needs spread, not cryptographic strength
  prng_ ^= prng_ >> 7;
  prng_ ^= prng_ << 17;
  return static_cast<double>(prng_ >> 11) / static_cast<double>(1ULL << 53);
}

adapters::Adapter* Sender::adapter_for(const std::string& platform) {
  auto it = adapters_.find(platform);
  if (it != adapters_.end() && it->second) return it->second.get();
  auto a = d_.adapters ? d_.adapters(platform) : nullptr;
  if (!a) return nullptr;  // not configured (yet): asked again next time
  return (adapters_[platform] = std::move(a)).get();
}

contracts::TargetEvent Sender::event_of(const contracts::DispatchJob& job, Outcome outcome) const {
  contracts::TargetEvent e;
  e.outcome = outcome;
  e.target_id = job.target_id;
  e.org_id = job.org_id;
  e.content_version = job.content_version;
  e.attempt = job.attempt;
  e.at_ms = now_ms();
  e.worker = worker_;
  return e;
}

void Sender::emit(contracts::TargetEvent event, const contracts::DispatchJob& job) {
  std::string id = job.send_key() + ":" + std::to_string(job.attempt) + ":" + std::string(to_string(event.outcome));
  auto env = contracts::to_envelope(event, std::move(id), event.at_ms, job.target_id);
  core::redis::xadd(d_.redis, d_.streams.publishing_events, contracts::to_fields(env));
}

void Sender::record(AttemptRow row) {
  try {
    d_.ledger.record(row);
  } catch (const std::exception& e) {
    // The platform call already happened: report it on the stream regardless, and say loudly that
    // the ledger lost a row.
    d_.logger.error("attempt ledger write failed",
                    {{"target_id", row.target_id}, {"attempt", row.attempt}, {"error", std::string(e.what())}});
  }
}

Handling Sender::fail(const contracts::DispatchJob& job, const std::string& error_class, const std::string& code,
                      const std::string& message) {
  auto e = event_of(job, Outcome::kFailed);
  e.error_class = error_class;
  e.error_code = code;
  e.error_message = message;
  emit(std::move(e), job);
  return {Disposition::kAck, Outcome::kFailed, error_class};
}

std::int64_t Sender::publish_calls(const contracts::DispatchJob& job) {
  try {
    return d_.ledger.publish_calls(job.target_id, job.content_version);
  } catch (const std::exception& e) {
    d_.logger.warn("attempt ledger unreadable; counting dispatches instead", {{"error", std::string(e.what())}});
    return job.attempt;
  }
}

Handling Sender::retry_or_fail(const contracts::DispatchJob& job, const adapters::Error& error, std::int64_t tries) {
  if (tries >= options_.max_attempts) {
    auto h = fail(job, class_name(error.cls), error.code,
                  "gave up after " + std::to_string(tries) + " attempts: " + error.message);
    d_.gate.end(d_.redis, job.send_key(), worker_, Settle::kDone, now_ms());
    return h;
  }
  std::optional<std::chrono::milliseconds> after;
  if (error.cls == adapters::ErrorClass::kRateLimited && error.retry_after) {
    after = std::chrono::duration_cast<std::chrono::milliseconds>(*error.retry_after);
  }
  auto e = event_of(job, Outcome::kRetry);
  e.error_class = class_name(error.cls);
  e.error_code = error.code;
  e.error_message = error.message;
  e.retry_at_ms = e.at_ms + retry_delay(options_.backoff, tries, draw(), after).count();
  emit(std::move(e), job);
  d_.gate.end(d_.redis, job.send_key(), worker_, Settle::kRelease, now_ms());
  return {Disposition::kAck, Outcome::kRetry, class_name(error.cls)};
}

Handling Sender::handle(const contracts::DispatchJob& job) {
  if (d_.governor) {
    auto v = d_.governor(job, now_ms());
    if (!v.granted) {
      auto e = event_of(job, Outcome::kRetry);
      e.error_class = "rate_limited";
      e.error_code = "governor";
      e.error_message = "the rate or quota governor has no token for this send yet";
      e.retry_at_ms = v.retry_at_ms;
      emit(std::move(e), job);
      return {Disposition::kAck, Outcome::kRetry, "governor"};
    }
  }
  auto creds = d_.directory.credentials(job.account_id);
  if (!creds) {
    return fail(job, "auth_expired", "no_credentials", "the account is disconnected or has no token");
  }
  auto* adapter = adapter_for(job.platform);
  if (adapter == nullptr) {
    // No call is made: the dispatches count (a missing endpoint is a configuration error).
    return retry_or_fail(job, adapters::Error{adapters::ErrorClass::kRetryable, "platform_unavailable",
                                              "no endpoint is configured for " + job.platform, 0, std::nullopt},
                         job.attempt);
  }
  return send(job, *adapter, *creds, false);
}

Handling Sender::send(const contracts::DispatchJob& job, adapters::Adapter& adapter,
                      const adapters::Credentials& creds, bool take_over) {
  contracts::gate::BeginRequest req;
  req.send_key = job.send_key();
  req.scope = send_scope(job);
  req.worker = worker_;
  req.now_ms = now_ms();
  req.lease_ms = options_.lease.count();
  req.min_epoch = options_.min_epoch;
  req.take_over = take_over;
  auto decision = d_.gate.begin(d_.redis, req);
  switch (decision.verdict) {
    case Verdict::kOpen: break;
    case Verdict::kFrozen: {
      auto e = event_of(job, Outcome::kHeld);
      e.error_class = "frozen";
      e.error_code = decision.matched;
      e.error_message = "a freeze covers " + decision.matched;
      emit(std::move(e), job);
      return {Disposition::kAck, Outcome::kHeld, "frozen"};
    }
    case Verdict::kFenceAbsent:
    case Verdict::kFenceStale:
      d_.logger.warn("send gate closed: fence not loaded", {{"target_id", job.target_id},
                                                            {"verdict", std::string(to_string(decision.verdict))}});
      return {Disposition::kRetrySoon, std::nullopt, std::string(to_string(decision.verdict))};
    case Verdict::kAlreadyDone: return {Disposition::kAck, std::nullopt, "already_done"};
    case Verdict::kInFlight: return {Disposition::kRetrySoon, std::nullopt, "in_flight"};
    case Verdict::kLeaseExpired:
      if (take_over) return {Disposition::kRetrySoon, std::nullopt, "lease_expired"};  // raced: next time
      return reconcile_expired(job, adapter, creds);
  }

  // Assisted platforms make no call (a person posts and confirms): no "sending" for them.
  if (adapter.capabilities().mode != adapters::PublishMode::kAssisted) emit(event_of(job, Outcome::kSending), job);
  Call call(*this);
  auto result = adapter.publish(call.recorder, creds, post_content(job));

  if (result) {
    const auto& p = *result;
    auto row = call.row(job, "publish");
    row.outcome = p.assisted ? "held" : "published";
    row.platform_post_id = p.platform_post_id;
    record(std::move(row));
    Outcome outcome = p.assisted ? Outcome::kHeld : Outcome::kPublished;
    auto e = event_of(job, outcome);
    e.platform_post_id = p.platform_post_id;
    e.url = p.assisted ? p.deep_link : p.url;
    e.first_comment_id = p.first_comment_id;
    if (p.assisted) {
      e.error_class = "assisted";
      e.error_message = "assisted publishing: a person posts it and confirms";
    }
    emit(std::move(e), job);
    d_.gate.end(d_.redis, job.send_key(), worker_, Settle::kDone, now_ms());
    return {Disposition::kAck, outcome, p.assisted ? "assisted" : "published"};
  }

  const auto& err = result.error();
  auto row = call.row(job, "publish");
  row.error_class = class_name(err.cls);
  row.error_code = err.code;
  row.error_message = err.message;
  if (err.http_status != 0) row.response_status = err.http_status;
  switch (err.cls) {
    case adapters::ErrorClass::kRejected:
    case adapters::ErrorClass::kAuthExpired: {
      row.outcome = "failed";
      record(std::move(row));
      if (err.cls == adapters::ErrorClass::kAuthExpired && d_.forget_credentials) d_.forget_credentials(job.account_id);
      auto h = fail(job, class_name(err.cls), err.code, err.message);
      d_.gate.end(d_.redis, job.send_key(), worker_, Settle::kDone, now_ms());
      return h;
    }
    case adapters::ErrorClass::kRetryable:
    case adapters::ErrorClass::kRateLimited: {
      // The calls that reached the platform count, this one included; a governor deferral does not.
      const auto tries = publish_calls(job) + 1;
      row.outcome = tries >= options_.max_attempts ? "failed" : "retry";
      record(std::move(row));
      return retry_or_fail(job, err, tries);
    }
    case adapters::ErrorClass::kUnknownOutcome: break;
  }

  // Unknown outcome: never retried blindly. Read back by the marker at once.
  row.outcome = "unknown";
  record(std::move(row));
  Call read(*this);
  auto found = adapter.find_by_marker(read.recorder, creds, job.marker);
  auto read_row = read.row(job, "read_back");
  if (found && *found) {
    read_row.outcome = "published";
    read_row.platform_post_id = (*found)->platform_post_id;
    record(std::move(read_row));
    auto e = event_of(job, Outcome::kPublished);
    e.platform_post_id = (*found)->platform_post_id;
    e.url = (*found)->url;
    emit(std::move(e), job);
    d_.gate.end(d_.redis, job.send_key(), worker_, Settle::kDone, now_ms());
    return {Disposition::kAck, Outcome::kPublished, "read_back_found"};
  }
  if (found) {
    read_row.outcome = "absent";
    record(std::move(read_row));
    auto h = retry_or_fail(job, err, publish_calls(job));
    h.note = "read_back_absent";
    return h;
  }
  // The read-back failed too: report UNKNOWN and keep the lease, so that nobody sends this key
  // again before it expires and the next taker reads back first (reconcile_expired).
  read_row.outcome = "unknown";
  read_row.error_class = class_name(found.error().cls);
  read_row.error_code = found.error().code;
  read_row.error_message = found.error().message;
  record(std::move(read_row));
  auto e = event_of(job, Outcome::kUnknown);
  e.error_class = class_name(err.cls);
  e.error_code = err.code;
  e.error_message = err.message;
  emit(std::move(e), job);
  return {Disposition::kLeave, Outcome::kUnknown, "read_back_failed"};
}

// A previous attempt's worker died holding the lease (or left it after an unknown outcome): the
// send may have happened. Read back first; only a post proven absent is sent again.
Handling Sender::reconcile_expired(const contracts::DispatchJob& job, adapters::Adapter& adapter,
                                   const adapters::Credentials& creds) {
  Call read(*this);
  auto found = adapter.find_by_marker(read.recorder, creds, job.marker);
  auto row = read.row(job, "read_back");
  if (!found) {
    row.outcome = "unknown";
    row.error_class = class_name(found.error().cls);
    row.error_code = found.error().code;
    row.error_message = found.error().message;
    record(std::move(row));
    auto e = event_of(job, Outcome::kUnknown);
    e.error_class = class_name(found.error().cls);
    e.error_code = found.error().code;
    e.error_message = "a lease expired and reading back failed: " + found.error().message;
    emit(std::move(e), job);
    return {Disposition::kLeave, Outcome::kUnknown, "read_back_failed"};
  }
  if (*found) {
    row.outcome = "published";
    row.platform_post_id = (*found)->platform_post_id;
    record(std::move(row));
    auto e = event_of(job, Outcome::kPublished);
    e.platform_post_id = (*found)->platform_post_id;
    e.url = (*found)->url;
    emit(std::move(e), job);
    // Take the dead lease over only to mark the key done (a freeze does not undo a post).
    contracts::gate::BeginRequest req;
    req.send_key = job.send_key();
    req.scope = send_scope(job);
    req.scope.exempt = true;
    req.worker = worker_;
    req.now_ms = now_ms();
    req.lease_ms = options_.lease.count();
    req.take_over = true;
    if (d_.gate.begin(d_.redis, req).open()) {
      d_.gate.end(d_.redis, job.send_key(), worker_, Settle::kDone, now_ms());
    }
    return {Disposition::kAck, Outcome::kPublished, "read_back_found"};
  }
  row.outcome = "absent";
  record(std::move(row));
  return send(job, adapter, creds, true);
}

}  // namespace herald::worker
