// The engine's default seccomp profile: an allow-list comparable to Docker's default (errno by
// default), widened by the capabilities the container is given.
#pragma once

#include <string>
#include <vector>

#include "oci/runtime_spec.h"

namespace berth::security {

// `caps` are the container's capabilities ("CAP_SYS_ADMIN" or Docker's "SYS_ADMIN"); Docker
// passes the bounding set, which for a plain `docker run` equals the effective one. Each
// capability that makes a blocked system call legitimate (CAP_SYS_ADMIN: mount, unshare, setns;
// CAP_SYS_PTRACE: kcmp, pidfd_getfd; ...) adds it to the allow-list. Architectures are the host's
// native one plus its compat ABIs (x86_64: X86_64, X86, X32).
oci::Seccomp docker_default_seccomp(const std::vector<std::string>& caps);

}  // namespace berth::security
