// Loads a compiled seccomp program in a forked child and makes raw system calls under it.
#pragma once

#include <array>
#include <vector>

#include "child_process.h"
#include "security/seccomp.h"

namespace berth::security::testing {

struct Probe {
  long nr;
  std::array<long, 6> args = {};
};

// values[0] is load_seccomp_raw's result; values[1 + i] is probe i's return value or -errno.
// The child sets no_new_privs first, as an unprivileged runtime must.
ChildOutcome run_probes(const SeccompProgram& program, const std::vector<Probe>& probes);

}  // namespace berth::security::testing
