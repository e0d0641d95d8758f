// Seccomp profiles in Docker's format (profiles/seccomp: the JSON `--security-opt seccomp=` and
// dockerd's --seccomp-profile take) converted to the runtime spec's linux.seccomp.
//
// Docker's format is the spec's object plus: "archMap" (instead of "architectures": the host's
// entry contributes its architecture and sub-architectures), and per syscall rule "name" (instead
// of "names"), "comment", and "includes"/"excludes" filters on the container's bounding
// capabilities ("caps", all must be held / any excludes), the host architecture ("arches", Go's
// spelling: "amd64", "arm64", ...) and the kernel version ("minKernel": "5.8").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// `bounding_caps` are the container's capabilities ("CAP_X"). nullopt when the profile has
// neither a defaultAction nor syscalls (Docker then applies no filter). Errors are dockerd's:
// "Decoding seccomp profile failed: ...", "both 'architectures' and 'archMap' are specified in
// the seccomp profile, use either 'architectures' or 'archMap'", "both 'name' and 'names' are
// specified in the seccomp profile, use either 'name' or 'names'", "invalid kernel version: ...".
Result<std::optional<oci::Seccomp>> convert_seccomp_profile(
    const Json& profile, const std::vector<std::string>& bounding_caps, const HostInfo& host);
Result<std::optional<oci::Seccomp>> load_seccomp_profile(
    std::string_view text, const std::vector<std::string>& bounding_caps, const HostInfo& host);

// The native architecture name Docker's filters use ("x86" for Go's "386", ...).
std::string native_arch_name(std::string_view go_arch);

}  // namespace berth::cspec
