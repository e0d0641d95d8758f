// Path resolution confined to a root directory fd. Archive entry names and `docker cp` paths
// come from untrusted input (an image, a container), so they are never joined onto a host path
// and handed to a path-based syscall: each lookup starts at the root fd and either refuses to
// cross any symlink (kNoSymlinks) or lets the kernel resolve symlinks as if the root were "/"
// (kInRoot, openat2 RESOLVE_IN_ROOT). Both make escapes by "..", absolute symlinks or races
// against a concurrently changing tree (CVE-2018-15664, CVE-2021-32760) impossible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::store::fs {

enum class Resolve {
  // Every component must be a real directory; a symlink anywhere on the way is refused
  // (kPermissionDenied). Used for layer unpacking, where a layer never needs to write through
  // a symlink it planted itself.
  kNoSymlinks,
  // Symlinks are followed, but "/" and ".." stop at the root (openat2 RESOLVE_IN_ROOT, with
  // RESOLVE_NO_MAGICLINKS). Used where the tree is a container's rootfs (docker cp) or a
  // flattened image, whose own symlinks must keep working.
  kInRoot,
};

// openat2(2) with the given RESOLVE_* flags; ENOSYS where the kernel lacks it (< 5.6).
Result<UniqueFd> openat2_fd(int dir_fd, const std::string& path, int flags, uint64_t resolve);

// Turns an archive entry name into a clean relative path: leading "/" and "./" stripped (as tar
// does), "." and empty components dropped, ".." resolved lexically. Returns "" for the root
// itself, and kPermissionDenied for names that climb above the root.
Result<std::string> sanitize_relative_path(std::string_view name);

// Splits a clean relative path into (parent, base); parent is "" at the top level.
std::pair<std::string, std::string> split_parent(const std::string& rel);

// Opens the directory `rel` (a clean relative path, "" = root) beneath `root_fd`. With `create`,
// missing components are made (mode 0755, owner of the caller) and appended to `created`
// (relative paths), so callers can fix their metadata or track them.
Result<UniqueFd> open_dir_beneath(int root_fd, const std::string& rel, Resolve mode, bool create,
                                  std::vector<std::string>* created = nullptr);

// Opens `rel` beneath `root_fd` with `flags` (O_NOFOLLOW is implied for the final component when
// mode is kNoSymlinks; kInRoot follows a final symlink only if `flags` lacks O_NOFOLLOW).
Result<UniqueFd> open_beneath(int root_fd, const std::string& rel, Resolve mode, int flags);

}  // namespace berth::store::fs
