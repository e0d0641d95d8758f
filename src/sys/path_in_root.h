// Resolving paths inside a container root through file descriptors (CVE-2021-30465 and kin):
// every lookup is an openat2(RESOLVE_IN_ROOT) from the root's fd, so a symlink planted in the
// rootfs can never lead outside it, and the object found is pinned by the returned fd.
// Child-safe: no allocation; errors are returned as -errno.
#pragma once

#include <sys/types.h>

namespace berth::sys {

// Opens `path` (absolute or relative, always interpreted inside the root) beneath root_fd.
// Symlinks are followed but stay inside the root; magic links (/proc/self/fd/...) are refused.
int open_in_root(int root_fd, const char* path, int flags) noexcept;

// Like open_in_root, but first creates what is missing: every directory on the way (mode
// dir_mode), and the final component as a directory, or as an empty regular file when
// `last_is_file` (to bind-mount a file over). Returns an O_PATH fd to the final object.
int ensure_in_root(int root_fd, const char* path, bool last_is_file, mode_t dir_mode) noexcept;

}  // namespace berth::sys
