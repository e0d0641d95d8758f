// HostConfig.SecurityOpt as dockerd parses it at create ("no-new-privileges", "seccomp=...",
// "apparmor=...", "label=...").
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "cspec/host_info.h"

namespace berth::cspec {

struct SecurityOptions {
  bool no_new_privileges = false;
  // "" (the daemon's default), "unconfined", "builtin", or a profile's JSON text: the docker CLI
  // reads `--security-opt seccomp=<file>` and sends the file's content.
  std::string seccomp_profile;
  std::string apparmor_profile;     // "" for the default
  std::vector<std::string> labels;  // SELinux label options; accepted and not applied
  // "systempaths=unconfined": no masked or read-only /proc and /sys paths. The docker CLI turns
  // this option into empty HostConfig.MaskedPaths/ReadonlyPaths; other clients send it as is.
  bool unconfined_system_paths = false;
};

// Docker's errors: `invalid --security-opt 1: "<opt>"` for an option without '=' (or the
// deprecated ':'), `invalid --security-opt 2: "<opt>"` for an unknown key or a bad boolean.
Result<SecurityOptions> parse_security_opts(const std::vector<std::string>& opts,
                                            const DaemonDefaults& daemon);

}  // namespace berth::cspec
