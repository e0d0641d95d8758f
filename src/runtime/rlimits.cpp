#include "runtime/rlimits.h"

#include <sys/resource.h>

#include <string_view>

namespace berth::runtime {

Result<int> rlimit_from_name(const std::string& name) {
  struct Entry {
    std::string_view name;
    int resource;
  };
  static constexpr Entry kLimits[] = {
      {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_CORE", RLIMIT_CORE},
      {"RLIMIT_CPU", RLIMIT_CPU},
      {"RLIMIT_DATA", RLIMIT_DATA},
      {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
      {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_NPROC", RLIMIT_NPROC},
      {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
      {"RLIMIT_RTTIME", RLIMIT_RTTIME},
      {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_STACK", RLIMIT_STACK},
  };
  for (const auto& e : kLimits) {
    if (e.name == name) return e.resource;
  }
  return make_error(ErrorCode::kInvalidArgument, "process.rlimits: unknown type \"{}\"", name);
}

}  // namespace berth::runtime
