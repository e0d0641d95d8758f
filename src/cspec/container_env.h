// The container process's environment (dockerd's CreateDaemonEnvironment).
#pragma once

#include <string>
#include <vector>

namespace berth::cspec {

// Docker's ReplaceOrAppendEnvValues: each override replaces the default of the same name in
// place or is appended; an override without '=' removes that name.
std::vector<std::string> replace_or_append_env(std::vector<std::string> defaults,
                                               const std::vector<std::string>& overrides);

// PATH (Docker's default), HOSTNAME=<hostname>, TERM=xterm with a tty, then Config.Env over them.
std::vector<std::string> container_env(const std::string& hostname, bool tty,
                                       const std::vector<std::string>& config_env);

inline constexpr const char* kDefaultPathEnv =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

}  // namespace berth::cspec
