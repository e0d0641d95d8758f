// Mounting a container's writable snapshot (store::MountSpec) onto its bundle's rootfs dir.
#pragma once

#include <string>

#include "base/result.h"
#include "store/snapshot/mount_spec.h"

namespace berth::daemon {

// Mounts `spec` at `target` (created if missing). Relative overlay paths (MountSpec::working_dir)
// are resolved by a short-lived child that chdir()s first: berthd is multi-threaded and must
// not change its own cwd.
Status mount_snapshot(const store::MountSpec& spec, const std::string& target);
// Lazily unmounts `target` if it is a mount point; fine when it is not.
Status unmount_rootfs(const std::string& target);

}  // namespace berth::daemon
