// Linux capabilities: the name table, the five sets a process.capabilities object describes, the
// Docker default and --privileged sets, and the allocation-free code that applies a set between
// clone and exec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::security {

// The highest capability number this build knows (CAP_CHECKPOINT_RESTORE).
inline constexpr int kMaxKnownCap = 40;

// "CAP_CHOWN" -> 0. Exact, upper-case OCI spelling only.
std::optional<int> capability_from_name(std::string_view name);
// Docker's --cap-add/--cap-drop spelling: "CHOWN", "chown", "CAP_CHOWN" and "cap_chown" all
// name CAP_CHOWN. ("ALL" is the engine's business, not a capability.)
std::optional<int> capability_from_docker_name(std::string_view name);
// The canonical "CAP_X" spelling of a Docker-style name, or nullopt when unknown.
std::optional<std::string> normalize_capability_name(std::string_view name);
// 0 -> "CAP_CHOWN"; empty for numbers outside the table.
std::string_view capability_name(int cap);

// The running kernel's highest capability (/proc/sys/kernel/cap_last_cap), read once.
int kernel_last_cap();

// One bit per capability number.
struct CapabilitySets {
  uint64_t bounding = 0;
  uint64_t effective = 0;
  uint64_t inheritable = 0;
  uint64_t permitted = 0;
  uint64_t ambient = 0;
};

inline constexpr uint64_t capability_bit(int cap) {
  return uint64_t{1} << cap;
}

// Translates the spec's name lists. An unknown name is an error; a name the running kernel does
// not have (above `last_cap`) is skipped with a warning, as runc does, so that one config works
// across kernels. Ambient capabilities not in both permitted and inheritable are dropped with a
// warning: the kernel would refuse to raise them.
Result<CapabilitySets> capability_sets_from_spec(const oci::Capabilities& caps, int last_cap);
Result<CapabilitySets> capability_sets_from_spec(const oci::Capabilities& caps);

// The 14 capabilities Docker keeps by default, as "CAP_X" names.
std::vector<std::string> docker_default_capabilities();
// Every capability up to `last_cap` (for --privileged).
std::vector<std::string> all_capabilities(int last_cap);
std::vector<std::string> all_capabilities();

// --- Child-safe application: raw system calls, no allocation, no logging. ---

// Drops from the bounding set every capability in 0..last_cap that `bounding` lacks. Capabilities
// already gone are skipped, so this may be called again after the process lost CAP_SETPCAP.
// Returns 0 or -errno.
int drop_bounding_raw(uint64_t bounding, int last_cap) noexcept;

// Applies all five sets: the bounding drops above, then capset(2) for effective, permitted and
// inheritable, then clears the ambient set and raises each ambient capability. Returns 0 or
// -errno. `last_cap` is kernel_last_cap(), computed before the clone.
int apply_capabilities_raw(const CapabilitySets& sets, int last_cap) noexcept;

// PR_SET_KEEPCAPS: keep permitted capabilities across a setuid away from root.
int set_keep_caps_raw(bool keep) noexcept;

}  // namespace berth::security
