// One tar entry's metadata, independent of libarchive, shared by the reader and the writer.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace berth::store {

enum class EntryType {
  kRegular,
  kDirectory,
  kSymlink,
  kHardlink,
  kCharDevice,
  kBlockDevice,
  kFifo
};

struct TarHeader {
  std::string path;  // as stored in the archive (not sanitized)
  EntryType type = EntryType::kRegular;
  uint32_t mode = 0644;  // permission bits including setuid, setgid and sticky (07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  int64_t size = 0;  // regular files only
  int64_t mtime_sec = 0;
  int64_t mtime_nsec = 0;
  std::string link_target;  // symlink target, or the archive path a hardlink points to
  uint32_t dev_major = 0;
  uint32_t dev_minor = 0;
  std::map<std::string, std::string> xattrs;  // from PAX SCHILY.xattr.* records
};

}  // namespace berth::store
