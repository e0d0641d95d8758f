// Seccomp: compiling a spec's linux.seccomp object to a classic-BPF program with libseccomp (in the
// parent, where allocation and errors are cheap), and loading that program in the container's init
// with one raw system call.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::security {

struct SeccompProgram {
  std::vector<sock_filter> instructions;
  unsigned flags = 0;  // SECCOMP_FILTER_FLAG_* for seccomp(2)
};

// Builds the filter the way runc does:
//  - SCMP_ACT_ERRNO / SCMP_ACT_TRACE take errnoRet (default EPERM); other actions reject it;
//  - unknown syscall names are skipped (profiles list syscalls that older kernels, libseccomp
//    versions or other architectures lack);
//  - rules whose action equals the default action are skipped;
//  - when several argument conditions test the same index, each becomes a rule of its own
//    (libseccomp would AND them, which can never match for EQ on one index);
//  - no_new_privs is left to the runtime, which sets it from process.noNewPrivileges.
// SCMP_ACT_NOTIFY is unimplemented and fails with kUnimplemented; listenerPath without a notify
// rule is ignored, as the spec says.
Result<SeccompProgram> compile_seccomp(const oci::Seccomp& spec);

// seccomp(SECCOMP_SET_MODE_FILTER, flags, prog), or prctl(PR_SET_SECCOMP) on kernels without
// seccomp(2) when no flags are needed. Safe between clone and exec: no allocation. The caller has
// set no_new_privs or holds CAP_SYS_ADMIN. Returns 0 or -errno.
int load_seccomp_raw(const SeccompProgram& program) noexcept;

}  // namespace berth::security
