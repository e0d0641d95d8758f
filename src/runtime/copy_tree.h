// Copies a directory tree between two directory fds without allocating (tmpcopyup mounts are
// populated between clone and exec). Returns 0 or -errno.
#pragma once

namespace berth::runtime {

int copy_tree_raw(int src_dir_fd, int dst_dir_fd, int max_depth) noexcept;

}  // namespace berth::runtime
