#include "seccomp_probe.h"

#include <sys/prctl.h>
#include <unistd.h>

namespace berth::security::testing {
namespace {

struct Plan {
  const SeccompProgram* program;
  const std::vector<Probe>* probes;
};

// Nothing after the load may need a system call the filter denies: no allocation, no stdio.
int load_and_probe(Reporter& report, const void* arg) {
  const auto& plan = *static_cast<const Plan*>(arg);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 2;
  int rc = load_seccomp_raw(*plan.program);
  report.add(rc);
  if (rc != 0) return 1;
  for (const Probe& p : *plan.probes) {
    report.add_syscall(
        syscall(p.nr, p.args[0], p.args[1], p.args[2], p.args[3], p.args[4], p.args[5]));
  }
  return 0;
}

}  // namespace

ChildOutcome run_probes(const SeccompProgram& program, const std::vector<Probe>& probes) {
  Plan plan{&program, &probes};
  return run_in_child(load_and_probe, &plan);
}

}  // namespace berth::security::testing
