// Docker's namespace mode strings (HostConfig.NetworkMode, IpcMode, PidMode, UTSMode,
// CgroupnsMode, UsernsMode) and the predicates dockerd applies to them.
#pragma once

#include <string>
#include <string_view>

namespace berth::cspec {

// "container:<name|id>" -> "<name|id>"; empty when `mode` is not of that form.
std::string container_of_mode(std::string_view mode);
bool is_container_mode(std::string_view mode);  // "container:" followed by anything, even nothing

// NetworkMode: "default", "bridge", "host", "none", "container:<x>" or a network's name.
bool network_is_host(std::string_view mode);
bool network_is_none(std::string_view mode);
// Neither host nor container:<x>: the container gets a network namespace of its own.
bool network_is_private(std::string_view mode);
bool network_is_user_defined(std::string_view mode);

// IpcMode: "", "none", "private", "host", "shareable", "container:<x>" (x non-empty).
bool ipc_mode_valid(std::string_view mode);
// PidMode: "", "host", "container:<x>" (x non-empty).
bool pid_mode_valid(std::string_view mode);
bool pid_is_private(std::string_view mode);
// UTSMode and UsernsMode: "" or "host".
bool uts_mode_valid(std::string_view mode);
// CgroupnsMode: "", "private", "host".
bool cgroupns_mode_valid(std::string_view mode);

}  // namespace berth::cspec
