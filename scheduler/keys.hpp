#pragma once
// The scheduler's Redis keys, under the installation's key prefix (config redis.key_prefix).
// The due set, the job payloads and the settled marks share the hash tag `{sched}`.
//
//   <prefix>:{sched}:due    zset  target_id -> due instant (ms since the epoch)
//   <prefix>:{sched}:jobs   hash  target_id -> "<content_version>|<attempt>|<platform>|<org_id>|<DispatchJob json>"
//   <prefix>:{sched}:sent   zset  "d:<target>:<version>:<attempt>" (dispatched), "h:..." (held) and
//                                 "c:..." (cancelled) -> when (ms): what left the due set, so the
//                                 reconciler never puts a settled job back before PostgreSQL knows
//   <prefix>:{sched}:last   hash  target_id -> "<content_version>|<attempt>" of the latest job that
//                                 left the due set, and
//   <prefix>:{sched}:lastz  zset  target_id -> when: so a rebuild from an older PostgreSQL snapshot
//                                 never brings back a version older than one already dispatched
//                                 (both trimmed with the settled marks)
//   <prefix>:{gov}:...      hash  the governor's token buckets (governor.hpp)
//
// The claim script also reads the send gate's fence (FenceKeys, `{fence}`) and appends to the
// platform streams: on a Redis Cluster these live in other slots, so the scheduler needs a single
// Redis primary (the embedded and the documented deployments both have one).
#include <string>

namespace herald::scheduler {

struct SchedulerKeys {
  explicit SchedulerKeys(const std::string& p = "herald")
      : prefix(p),
        due(p + ":{sched}:due"),
        jobs(p + ":{sched}:jobs"),
        sent(p + ":{sched}:sent"),
        last(p + ":{sched}:last"),
        lastz(p + ":{sched}:lastz") {}
  std::string prefix;
  std::string due;
  std::string jobs;
  std::string sent;
  std::string last;
  std::string lastz;
};

// "<target>:<content_version>:<attempt>": one scheduling of one target.
inline std::string job_key(const std::string& target_id, long long content_version, long long attempt) {
  return target_id + ":" + std::to_string(content_version) + ":" + std::to_string(attempt);
}

}  // namespace herald::scheduler
