// CVE-2019-5736: a container process that can see the runtime (an `exec` joining its pid
// namespace, a shared pid namespace) could open /proc/<pid>/exe and overwrite the runtime
// binary on the host. Running from a copy nobody can write makes that handle useless.
//
// Two ways, the cheaper first:
//  - a read-only overlayfs over the binary's directory, mounted nowhere (fsopen + fsmount): the
//    file is the binary itself, but no path leads to the mount and the mount refuses writes;
//    nothing is copied (the debug build is 130 MB; each create would copy it);
//  - a sealed memfd copy (unprivileged callers, kernels without the new mount API).
#pragma once

#include "base/result.h"

namespace berth::runtime {

// Re-executes the current program from a sealed copy of itself with the same argv and
// environment, unless it already runs from one. Returns only when no re-exec was needed (or
// possible: then the error says why).
Status reexec_sealed(char** argv);

// True when /proc/self/exe cannot be written through: a sealed memfd or a read-only overlayfs.
bool running_sealed();

}  // namespace berth::runtime
