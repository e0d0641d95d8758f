// The path rules of docker's archive copy (moby/go-archive copy.go) that decide what `cp`
// copies where: trailing "/" and "/." mean "a directory" and "its contents", symlinks are
// followed or not, and the archive's top entry is renamed to the destination's name.
#pragma once

#include <string>
#include <utility>

#include "base/result.h"

namespace berth::cli {

struct CopyInfo {
  std::string path;
  bool exists = false;
  bool is_dir = false;
  std::string rebase_name;
};

// filepath.Clean, Dir, Base, Join, Abs (against the process's working directory).
std::string go_clean(const std::string& path);
std::string go_dir(const std::string& path);
std::string go_base(const std::string& path);
std::string go_join(const std::string& a, const std::string& b);
std::string go_abs(const std::string& path);

std::string preserve_trailing_dot_or_separator(const std::string& cleaned,
                                               const std::string& original);
bool asserts_directory(const std::string& path);
// (dir, base) with "." kept for "x/." paths.
std::pair<std::string, std::string> split_path_dir_entry(const std::string& path);
std::pair<std::string, std::string> get_rebase_name(const std::string& path,
                                                    const std::string& resolved);

Result<CopyInfo> copy_info_source_path(const std::string& path, bool follow_link);
Result<CopyInfo> copy_info_destination_path(const std::string& path);

// PrepareArchiveCopy without the stream: where to extract, and the (old, new) base rename to
// apply to entry names ("" old when none).
struct ArchiveCopyPlan {
  std::string dst_dir;
  std::string rebase_from;
  std::string rebase_to;
  bool rebase = false;
};
Result<ArchiveCopyPlan> prepare_archive_copy(const CopyInfo& src, const CopyInfo& dst);

// strings.Replace(name, old, new, 1), the (quirky) renaming docker applies to entry names.
std::string rebase_entry_name(const std::string& name, const std::string& from,
                              const std::string& to);

}  // namespace berth::cli
