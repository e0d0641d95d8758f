// CVE-2019-5736: a container process that can see the runtime (an `exec` joining its pid
// namespace, a shared pid namespace) could open /proc/<pid>/exe and overwrite the runtime
// binary on the host. Running from a sealed, unnamed memfd copy makes that handle useless.
#pragma once

#include "base/result.h"

namespace berth::runtime {

// Re-executes the current program from a sealed memfd copy of itself with the same argv and
// environment, unless it already runs from one. Returns only when no re-exec was needed (or
// possible: then the error says why).
Status reexec_from_sealed_memfd(char** argv);

// True when /proc/self/exe is a sealed memfd.
bool running_from_sealed_memfd();

}  // namespace berth::runtime
