// The config.json that `berth-runtime spec` writes (runc's defaults: sh, a terminal, the default
// mounts, capabilities, masked and read-only paths; --rootless adds a user namespace).
#pragma once

#include <cstdint>

#include "oci/runtime_spec.h"

namespace berth::oci {

// With `rootless`, the result of make_rootless for the calling process's effective uid and gid.
Spec default_spec(bool rootless);

// What `runc spec --rootless` changes: a user namespace mapping container root to `uid`/`gid`
// instead of a network namespace, /sys bind-mounted read-only (sysfs cannot be mounted without
// owning the network namespace), no uid=/gid= mount options (those ids are not mapped), and no
// cgroup mount or cgroup settings (an unprivileged user cannot create cgroups).
void make_rootless(Spec* spec, uint32_t uid, uint32_t gid);

}  // namespace berth::oci
