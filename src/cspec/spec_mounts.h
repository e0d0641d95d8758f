// The spec's mounts (dockerd's withMounts and the init mount of withCommonOptions).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "cspec/start_input.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// Docker's default mounts: /proc, /dev (tmpfs), /dev/pts, /sys (ro), /sys/fs/cgroup (ro),
// /dev/mqueue, /dev/shm (tmpfs, sized later).
std::vector<oci::Mount> docker_default_mounts();

struct SpecMounts {
  std::vector<oci::Mount> mounts;
  // "shared" or "rslave" when a bind asks for shared or slave propagation; "" otherwise.
  std::string rootfs_propagation;
};

// The container's mounts, in dockerd's order:
//  1. the defaults, minus those a container mount replaces (all of /dev/* when /dev is one),
//     /dev/shm sized by HostConfig.ShmSize and left out for IpcMode none;
//  2. the init binary at /sbin/docker-init (bind, ro) when `with_init`;
//  3. the container mounts sorted by destination depth (stable): the MountPoints, the
//     /etc/resolv.conf, /etc/hostname and /etc/hosts files (unless a MountPoint covers them;
//     read-only with a read-only rootfs), the shared /dev/shm of a non-private IpcMode, and the
//     tmpfs mounts (HostConfig.Tmpfs, tmpfs MountPoints) with noexec,nosuid,nodev by default.
//     Binds are "rbind" ("bind" when non-recursive), "rro" when read-only and the kernel can
//     (5.12+; "ro" otherwise or when ReadOnlyNonRecursive), then their propagation.
// With a read-only rootfs every mount but /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue and the
// container mounts gets "ro"; --privileged makes /sys and /sys/fs/cgroup writable.
Result<SpecMounts> container_mounts(const StartInput& input, bool with_init);

}  // namespace berth::cspec
