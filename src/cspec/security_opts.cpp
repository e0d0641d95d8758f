#include "cspec/security_opts.h"

#include "base/strings.h"

namespace berth::cspec {
namespace {

// Go's strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view value) {
  for (std::string_view yes : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (value == yes) return true;
  }
  for (std::string_view no : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (value == no) return false;
  }
  return std::nullopt;
}

}  // namespace

Result<SecurityOptions> parse_security_opts(const std::vector<std::string>& opts,
                                            const DaemonDefaults& daemon) {
  SecurityOptions out;
  out.no_new_privileges = daemon.no_new_privileges;
  for (const std::string& opt : opts) {
    if (opt == "no-new-privileges") {
      out.no_new_privileges = true;
      continue;
    }
    if (opt == "disable") {
      out.labels.push_back("disable");
      continue;
    }
    bool found = false;
    auto [key, value] = split_once(opt, '=', &found);
    if (!found) std::tie(key, value) = split_once(opt, ':', &found);
    if (!found) {
      return make_error(ErrorCode::kInvalidArgument, "invalid --security-opt 1: {:?}", opt);
    }
    if (key == "label") {
      out.labels.emplace_back(value);
    } else if (key == "apparmor") {
      out.apparmor_profile = value;
    } else if (key == "seccomp") {
      out.seccomp_profile = value;
    } else if (key == "no-new-privileges") {
      auto flag = parse_go_bool(value);
      if (!flag) {
        return make_error(ErrorCode::kInvalidArgument, "invalid --security-opt 2: {:?}", opt);
      }
      out.no_new_privileges = *flag;
    } else if (key == "systempaths" && value == "unconfined") {
      out.unconfined_system_paths = true;
    } else {
      return make_error(ErrorCode::kInvalidArgument, "invalid --security-opt 2: {:?}", opt);
    }
  }
  return out;
}

}  // namespace berth::cspec
