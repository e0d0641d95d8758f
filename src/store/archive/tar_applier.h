// Internal: writes the entries of a tar stream into a directory tree beneath a root fd, with
// whiteout handling, metadata preservation and confined path resolution. The public entry points
// are unpack_layer/apply_layer (layer_unpack.h) and extract_tar_to (copy.h).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/archive/apply_options.h"
#include "store/archive/tar_header.h"
#include "store/archive/tar_reader.h"

namespace berth::store {

class TarApplier {
 public:
  // `prefix` is a clean relative path beneath `root_fd` (the directory entries are relative to;
  // "" for the root itself). `root_fd` is borrowed.
  TarApplier(int root_fd, std::string prefix, const ApplyOptions& options);

  // Applies every entry, then fixes directory mtimes.
  Status apply(TarReader& tar);
  uint64_t entries() const { return entries_; }

 private:
  Status apply_entry(TarHeader& header, TarReader& tar);
  Status apply_whiteout(const std::string& parent, const std::string& name);
  Status apply_opaque(const std::string& dir);
  Status remove_lower_children(int dir_fd, const std::string& dir);
  Status create_entry(int parent_fd, const std::string& name, const std::string& rel,
                      const TarHeader& header, TarReader& tar);
  Status set_metadata_fd(int fd, const std::string& rel, const TarHeader& header);
  Status set_metadata_at(int parent_fd, const std::string& name, const std::string& rel,
                         const TarHeader& header);
  Status set_xattrs(int fd, int parent_fd, const std::string& name, const std::string& rel,
                    const TarHeader& header);
  Status finish_directories();
  Result<UniqueFd> open_parent(const std::string& parent_rel);
  void mark_touched(const std::string& rel);
  std::string full_path(const std::string& rel) const;
  bool chown_failure_ok(int err) const;

  int root_fd_;
  std::string prefix_;
  const ApplyOptions& options_;
  uint64_t entries_ = 0;
  // Paths this archive wrote, and their ancestors: whiteouts only apply to what lies below.
  std::set<std::string> touched_;
  // Directory modes and mtimes are applied last: creating children changes the mtime, and a
  // read-only mode would stop an unprivileged unpack from creating them.
  struct DirFinish {
    std::string rel;
    uint32_t mode;
    int64_t sec;
    int64_t nsec;
  };
  std::vector<DirFinish> dirs_;
};

}  // namespace berth::store
