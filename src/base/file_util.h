// Whole-file helpers. Writes that must survive a crash go through write_file_atomic.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth {

Result<std::string> read_file(const std::string& path);
// Reads a file relative to a directory fd (O_NOFOLLOW on the last component).
Result<std::string> read_file_at(int dir_fd, const std::string& name);
// Writes (truncating) without fsync; for kernel interfaces such as cgroup files.
Status write_file(const std::string& path, std::string_view data, mode_t mode = 0644);
// Writes to a temporary file beside `path`, fsyncs, renames into place, fsyncs the directory.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode = 0644);
// mkdir -p; succeeds when the directory exists.
Status make_dirs(const std::string& path, mode_t mode = 0755);
// rm -rf; succeeds when the path does not exist. Does not follow symlinks or cross mounts.
Status remove_all(const std::string& path);
bool path_exists(const std::string& path);
std::string path_join(std::string_view a, std::string_view b);
std::string dirname(std::string_view path);
std::string basename(std::string_view path);
// Lexically cleans a path like Go's filepath.Clean ("/a/../b/./c/" -> "/b/c").
std::string clean_path(std::string_view path);

}  // namespace berth
