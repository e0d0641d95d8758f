// The container's capability set: Docker's default 14, --cap-add/--cap-drop, --privileged.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace berth::cspec {

// Docker's spelling to "CAP_X": case-insensitive, "CAP_" optional; "ALL" stays "ALL". Errors as
// dockerd words them: `unknown capability: "CAP_FOO"`, or, for a capability the running kernel
// lacks (above `last_cap`), `capability not supported by your kernel or not available in the
// current environment: "CAP_X"`.
Result<std::vector<std::string>> normalize_capabilities(const std::vector<std::string>& names,
                                                        int last_cap);

// dockerd's TweakCapabilities: privileged gets every capability up to last_cap; "ALL" in adds
// starts from every capability, "ALL" in drops from none; otherwise the defaults minus the drops
// plus the adds (without duplicates). The order is the kernel's numbering for ALL, otherwise the
// defaults' order followed by the adds'.
Result<std::vector<std::string>> container_capabilities(const std::vector<std::string>& cap_add,
                                                        const std::vector<std::string>& cap_drop,
                                                        bool privileged, int last_cap);

}  // namespace berth::cspec
