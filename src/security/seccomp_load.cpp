// Loading a compiled filter in the container's init: no allocation, no logging.
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "security/seccomp.h"

namespace berth::security {

int load_seccomp_raw(const SeccompProgram& program) noexcept {
  sock_fprog prog{};
  prog.len = static_cast<unsigned short>(program.instructions.size());
  // The kernel copies the program and does not write through this pointer.
  prog.filter = const_cast<sock_filter*>(program.instructions.data());
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, program.flags, &prog) == 0) return 0;
  int err = errno;
  // Kernels before 3.17 have only the prctl interface, which takes no flags.
  if (err == ENOSYS && program.flags == 0) {
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0) return 0;
    err = errno;
  }
  return -err;
}

}  // namespace berth::security
