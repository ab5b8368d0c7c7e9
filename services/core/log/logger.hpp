#pragma once
// Structured logging: one JSON object per line,
//   {"ts":"2027-01-15T08:00:00.123Z","level":"info","msg":"...","service":"herald-api",<fields>}
// Redaction (redact.hpp) happens here, inside the logger, on every record: call sites cannot
// forget it. Field values keep their JSON type (numbers stay numbers).
//
// A Logger is a cheap value: copies and with() children share the sink, the service name and
// the level. Logging never throws into the caller.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/core/log/level.hpp"
#include "services/core/util/clock.hpp"

namespace herald::core::log {

using Fields = std::vector<std::pair<std::string, nlohmann::json>>;
// Receives each finished record: one JSON object, without a trailing newline. Must be safe to
// call from several threads at once if the Logger is shared across threads.
using Sink = std::function<void(std::string_view line)>;

class Logger {
 public:
  // `clock` supplies "ts" (tests pass a ManualClock); null means the system clock.
  Logger(std::string service, Sink sink, Level min_level = Level::info,
         std::shared_ptr<const core::Clock> clock = nullptr);

  // Thread-safe spdlog sinks with the pattern "%v" (the record is the whole line), flushed per
  // record. to_file appends to `path` and throws spdlog::spdlog_ex if it cannot be opened.
  [[nodiscard]] static Logger to_stderr(std::string service, Level min_level = Level::info);
  [[nodiscard]] static Logger to_file(std::string service, const std::string& path,
                                      Level min_level = Level::info);

  void debug(std::string_view message, Fields fields = {}) const;
  void info(std::string_view message, Fields fields = {}) const;
  void warn(std::string_view message, Fields fields = {}) const;
  void error(std::string_view message, Fields fields = {}) const;
  void log(Level level, std::string_view message, Fields fields = {}) const;

  // A child that adds `fields` (e.g. trace_id, account_id) to every record. Per-call fields
  // override context fields of the same name; a field named ts, level, msg or service is written
  // as field_<name> so it cannot forge those.
  [[nodiscard]] Logger with(Fields fields) const;

  // The minimum level, shared by this logger, its copies, its parent and its children.
  void set_level(Level level);
  [[nodiscard]] Level level() const;
  [[nodiscard]] bool enabled(Level level) const;

 private:
  struct Shared;
  // Key and value already redacted; value serialised as JSON text.
  using RenderedFields = std::vector<std::pair<std::string, std::string>>;

  Logger(std::shared_ptr<Shared> shared, RenderedFields context);
  static RenderedFields render_fields(Fields fields);

  std::shared_ptr<Shared> shared_;
  RenderedFields context_;
};

}  // namespace herald::core::log
