#include "services/publishing/domain/local_time.hpp"

#include <stdexcept>

namespace herald::publishing {

ResolvedTime resolve_local(const date::time_zone& zone, date::local_seconds intended) {
  const auto info = zone.get_info(intended);
  ResolvedTime r;
  r.intended = intended;
  switch (info.result) {
    case date::local_info::unique:
      r.utc = date::sys_seconds{intended.time_since_epoch() - info.first.offset};
      r.resolution = LocalResolution::kExact;
      break;
    case date::local_info::nonexistent:
      r.utc = info.second.begin;  // the instant the gap ends
      r.resolution = LocalResolution::kShiftedForward;
      break;
    case date::local_info::ambiguous:
      r.utc = date::sys_seconds{intended.time_since_epoch() - info.first.offset};  // first = earlier period
      r.resolution = LocalResolution::kAmbiguousEarlier;
      break;
  }
  r.wall = zone.to_local(r.utc);
  return r;
}

const date::time_zone* find_zone(std::string_view iana_name) {
  if (iana_name.empty()) return nullptr;
  try {
    return date::locate_zone(iana_name);
  } catch (const std::runtime_error&) {
    return nullptr;
  }
}

std::string format_local(date::local_seconds t) { return date::format("%Y-%m-%dT%H:%M:%S", t); }

std::string format_utc(date::sys_seconds t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); }

}  // namespace herald::publishing
