#include "services/core/log/logger.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "services/core/log/redact.hpp"

namespace herald::core::log {

struct Logger::Shared {
  std::string service_json;
  Sink sink;
  std::atomic<Level> min_level;
  std::shared_ptr<const core::Clock> clock;
};

namespace {

constexpr std::string_view kReservedKeys[] = {"ts", "level", "msg", "service"};

std::string json_string(std::string_view s) {
  // Invalid UTF-8 is replaced (U+FFFD) instead of throwing.
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_value(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// RFC 3339, UTC, milliseconds: 2027-01-15T08:00:00.123Z
std::string rfc3339_millis(core::Clock::time_point now) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(now);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return buf;
}

Sink spdlog_sink(spdlog::sink_ptr sink) {
  auto logger = std::make_shared<spdlog::logger>("herald", std::move(sink));
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::trace);
  return [logger](std::string_view line) {
    logger->log(spdlog::level::info, spdlog::string_view_t(line.data(), line.size()));
  };
}

}  // namespace

Logger::Logger(std::string service, Sink sink, Level min_level, std::shared_ptr<const core::Clock> clock)
    : shared_(std::make_shared<Shared>()) {
  shared_->service_json = json_string(service);
  shared_->sink = std::move(sink);
  shared_->min_level.store(min_level);
  shared_->clock = clock ? std::move(clock) : std::make_shared<const core::SystemClock>();
}

Logger::Logger(std::shared_ptr<Shared> shared, RenderedFields context)
    : shared_(std::move(shared)), context_(std::move(context)) {}

Logger Logger::to_stderr(std::string service, Level min_level) {
  return Logger(std::move(service), spdlog_sink(std::make_shared<spdlog::sinks::stderr_sink_mt>()),
                min_level);
}

Logger Logger::to_file(std::string service, const std::string& path, Level min_level) {
  return Logger(std::move(service),
                spdlog_sink(std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, false)), min_level);
}

Logger::RenderedFields Logger::render_fields(Fields fields) {
  RenderedFields out;
  out.reserve(fields.size());
  for (auto& [key, value] : fields) {
    std::string name = key;
    if (std::find(std::begin(kReservedKeys), std::end(kReservedKeys), name) != std::end(kReservedKeys)) {
      name = "field_" + name;
    }
    std::string rendered =
        is_sensitive_key(key) ? json_string(kRedacted) : json_value(redact(std::move(value)));
    // A later duplicate replaces the earlier one, keeping the first position.
    const auto same = std::find_if(out.begin(), out.end(), [&name](const auto& f) { return f.first == name; });
    if (same != out.end()) {
      same->second = std::move(rendered);
    } else {
      out.emplace_back(std::move(name), std::move(rendered));
    }
  }
  return out;
}

void Logger::debug(std::string_view message, Fields fields) const { log(Level::debug, message, std::move(fields)); }
void Logger::info(std::string_view message, Fields fields) const { log(Level::info, message, std::move(fields)); }
void Logger::warn(std::string_view message, Fields fields) const { log(Level::warn, message, std::move(fields)); }
void Logger::error(std::string_view message, Fields fields) const { log(Level::error, message, std::move(fields)); }

void Logger::log(Level level, std::string_view message, Fields fields) const {
  if (!enabled(level)) return;
  try {
    const RenderedFields call = render_fields(std::move(fields));
    std::string line;
    line.reserve(160 + message.size());
    line.append("{\"ts\":\"").append(rfc3339_millis(shared_->clock->now()));
    line.append("\",\"level\":\"").append(level_name(level));
    line.append("\",\"msg\":").append(json_string(redact_text(message)));
    line.append(",\"service\":").append(shared_->service_json);
    const auto append = [&line](const std::pair<std::string, std::string>& field) {
      line.append(",").append(json_string(field.first)).append(":").append(field.second);
    };
    for (const auto& field : context_) {
      const bool overridden = std::any_of(call.begin(), call.end(),
                                          [&field](const auto& c) { return c.first == field.first; });
      if (!overridden) append(field);
    }
    for (const auto& field : call) append(field);
    line.append("}");
    shared_->sink(line);
  } catch (...) {
    // Logging must never take the caller down (allocation failure, a throwing sink).
  }
}

Logger Logger::with(Fields fields) const {
  RenderedFields merged = context_;
  for (auto& field : render_fields(std::move(fields))) {
    const auto same =
        std::find_if(merged.begin(), merged.end(), [&field](const auto& f) { return f.first == field.first; });
    if (same != merged.end()) {
      same->second = std::move(field.second);
    } else {
      merged.push_back(std::move(field));
    }
  }
  return Logger(shared_, std::move(merged));
}

void Logger::set_level(Level level) { shared_->min_level.store(level, std::memory_order_relaxed); }
Level Logger::level() const { return shared_->min_level.load(std::memory_order_relaxed); }
bool Logger::enabled(Level level) const { return level >= this->level(); }

}  // namespace herald::core::log
