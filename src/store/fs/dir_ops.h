// fd-relative directory helpers for the store: list, remove trees, fsync. Everything works
// beneath a directory fd and never follows a symlink, so a tree being removed or listed cannot
// redirect the operation elsewhere.
#pragma once

#include <sys/stat.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::store::fs {

// Opens a directory (O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC) relative to `dir_fd`.
Result<UniqueFd> open_dir_at(int dir_fd, const std::string& name);
// Opens an absolute or cwd-relative directory path.
Result<UniqueFd> open_dir(const std::string& path);
// The entries of a directory (without "." and ".."), sorted bytewise for deterministic output.
Result<std::vector<std::string>> list_dir(int dir_fd);
// rm -rf of `name` beneath `dir_fd`; succeeds if it does not exist. Does not cross mounts.
Status remove_tree_at(int dir_fd, const std::string& name);
// Removes every entry inside the directory `dir_fd`, keeping the directory itself.
Status remove_children(int dir_fd);
// fsync(2) on a directory fd or path, so renames and creations inside it are durable.
Status fsync_fd(int fd, const std::string& what);
Status fsync_dir(const std::string& path);
// lstat relative to a directory fd; nullopt-like: returns kNotFound when absent.
Result<struct stat> lstat_at(int dir_fd, const std::string& name);
// Sum of st_size of regular files and symlinks in the tree, counting each inode once.
Result<uint64_t> tree_size(int dir_fd);
// A random name component of `len` characters [a-z0-9] from getrandom(2).
std::string random_id(size_t len);

}  // namespace berth::store::fs
