// The Engine API's Volume JSON.
#include <time.h>

#include "daemon/volume_service.h"

namespace berth::daemon {
namespace {

// Go's time.RFC3339 (seconds, "Z" for UTC), which dockerd uses for CreatedAt.
std::string rfc3339_seconds(int64_t unix_ns) {
  time_t seconds = static_cast<time_t>(unix_ns / 1'000'000'000);
  struct tm tm {};
  ::gmtime_r(&seconds, &tm);
  char buf[32];
  ::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json map_or_null(const std::map<std::string, std::string>& m) {
  return m.empty() ? Json(nullptr) : Json(m);
}

}  // namespace

Json VolumeService::volume_json(const Volume& v) const {
  return {{"CreatedAt", rfc3339_seconds(v.created_ns)},
          {"Driver", v.driver},
          {"Labels", map_or_null(v.labels)},
          {"Mountpoint", data_dir(v.name)},
          {"Name", v.name},
          {"Options", map_or_null(v.options)},
          {"Scope", "local"}};
}

}  // namespace berth::daemon
