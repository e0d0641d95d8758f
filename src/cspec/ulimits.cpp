#include "cspec/ulimits.h"

#include <algorithm>
#include <array>
#include <set>

#include "base/strings.h"
#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

constexpr std::array<std::string_view, 15> kNames = {
    "core",   "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue", "nice",
    "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack"};

struct Ulimit {
  std::string name;
  int64_t soft = 0;
  int64_t hard = 0;
};

Result<std::vector<Ulimit>> read_ulimits(const Json& host_config) {
  std::vector<Ulimit> out;
  const Json* list = field(host_config, "Ulimits");
  if (list == nullptr) return out;
  if (!list->is_array()) return type_error(*list, "HostConfig", "Ulimits", "[]*units.Ulimit");
  for (const Json& item : *list) {
    if (item.is_null()) continue;
    if (!item.is_object()) return type_error(item, "HostConfig", "Ulimits", "units.Ulimit");
    Ulimit u;
    u.name = TRY(get_string(item, "Name", "Ulimit"));
    u.soft = TRY(get_int(item, "Soft", "Ulimit"));
    u.hard = TRY(get_int(item, "Hard", "Ulimit"));
    out.push_back(std::move(u));
  }
  return out;
}

oci::Rlimit to_rlimit(const std::string& name, int64_t soft, int64_t hard) {
  oci::Rlimit r;
  r.type = "RLIMIT_" + to_upper(name);
  r.soft = static_cast<uint64_t>(soft);  // -1 is RLIM_INFINITY, as Go's uint64(-1)
  r.hard = static_cast<uint64_t>(hard);
  return r;
}

}  // namespace

bool is_ulimit_name(std::string_view name) {
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

Status validate_ulimits(const Json& host_config) {
  for (const Ulimit& u : TRY(read_ulimits(host_config))) {
    if (!is_ulimit_name(u.name)) {
      return make_error(ErrorCode::kInvalidArgument, "invalid ulimit type: {}", u.name);
    }
    if (u.hard != -1) {
      if (u.soft == -1) {
        return make_error(ErrorCode::kInvalidArgument,
                          "ulimit soft limit must be less than or equal to hard limit: soft: -1 "
                          "(unlimited), hard: {}",
                          u.hard);
      }
      if (u.soft > u.hard) {
        return make_error(ErrorCode::kInvalidArgument,
                          "ulimit soft limit must be less than or equal to hard limit: {} > {}",
                          u.soft, u.hard);
      }
    }
    if (u.soft < -1 || u.hard < -1) {
      return make_error(ErrorCode::kInvalidArgument, "invalid ulimit value for {}: {}:{}", u.name,
                        u.soft, u.hard);
    }
  }
  return {};
}

Result<std::vector<oci::Rlimit>> container_rlimits(const Json& host_config,
                                                   const DaemonDefaults& daemon) {
  TRY(validate_ulimits(host_config));
  std::vector<oci::Rlimit> out;
  std::set<std::string> seen;
  // A name given twice keeps its last value, as the CLI's --ulimit map does.
  for (const Ulimit& u : TRY(read_ulimits(host_config))) {
    oci::Rlimit rlimit = to_rlimit(u.name, u.soft, u.hard);
    if (seen.insert(u.name).second) {
      out.push_back(std::move(rlimit));
    } else {
      *std::find_if(out.begin(), out.end(),
                    [&](const oci::Rlimit& r) { return r.type == rlimit.type; }) = rlimit;
    }
  }
  std::vector<DefaultUlimit> defaults = daemon.ulimits;
  std::sort(defaults.begin(), defaults.end(),
            [](const DefaultUlimit& a, const DefaultUlimit& b) { return a.name < b.name; });
  for (const DefaultUlimit& u : defaults) {
    if (seen.insert(u.name).second) out.push_back(to_rlimit(u.name, u.soft, u.hard));
  }
  return out;
}

}  // namespace berth::cspec
