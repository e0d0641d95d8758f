// Extended attributes by fd, or by (directory fd, name) without following the final symlink.
// The (dir fd, name) forms go through /proc/self/fd/<dir>/<name> with the l*xattr calls: the
// directory is pinned by its fd, and the final component is never followed.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/result.h"

namespace berth::store::fs {

using Xattrs = std::map<std::string, std::string>;

// All xattrs of an open file; empty when the filesystem does not support them.
Result<Xattrs> list_xattrs_fd(int fd);
Result<Xattrs> list_xattrs_at(int dir_fd, const std::string& name);
// One xattr, or nullopt when absent or unsupported.
Result<std::optional<std::string>> get_xattr_at(int dir_fd, const std::string& name,
                                                const std::string& key);
Status set_xattr_fd(int fd, const std::string& key, const std::string& value);
Status set_xattr_at(int dir_fd, const std::string& name, const std::string& key,
                    const std::string& value);

}  // namespace berth::store::fs
