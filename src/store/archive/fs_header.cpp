#include "store/archive/fs_header.h"

#include <fcntl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "store/archive/whiteout.h"

namespace berth::store {

bool archivable_xattr(const std::string& key) {
  auto starts = [&](std::string_view p) { return std::string_view(key).substr(0, p.size()) == p; };
  return !starts(kOverlayTrustedPrefix) && !starts(kOverlayUserPrefix) && key != "security.selinux";
}

Result<fs::Xattrs> archivable_xattrs_at(int dir_fd, const std::string& name) {
  auto all = TRY(fs::list_xattrs_at(dir_fd, name));
  for (auto it = all.begin(); it != all.end();) {
    it = archivable_xattr(it->first) ? std::next(it) : all.erase(it);
  }
  return all;
}

namespace {

Result<std::string> read_link_at(int dir_fd, const std::string& name, size_t hint) {
  std::vector<char> buf(hint + 2);
  while (true) {
    ssize_t n = ::readlinkat(dir_fd, name.c_str(), buf.data(), buf.size());
    if (n < 0) return errno_error("readlink " + name);
    if (static_cast<size_t>(n) < buf.size()) return std::string(buf.data(), static_cast<size_t>(n));
    buf.resize(buf.size() * 2);
  }
}

}  // namespace

Result<std::optional<TarHeader>> header_from_fs(int dir_fd, const std::string& name,
                                                const struct stat& st,
                                                const std::string& archive_path) {
  TarHeader h;
  h.path = archive_path;
  h.mode = st.st_mode & 07777;
  h.uid = st.st_uid;
  h.gid = st.st_gid;
  // Whole seconds, as Docker writes them: identical trees give identical layer digests even
  // across filesystems with different timestamp precision.
  h.mtime_sec = st.st_mtim.tv_sec;
  h.mtime_nsec = 0;
  switch (st.st_mode & S_IFMT) {
    case S_IFREG:
      h.type = EntryType::kRegular;
      h.size = st.st_size;
      break;
    case S_IFDIR:
      h.type = EntryType::kDirectory;
      if (h.path.empty() || h.path.back() != '/') h.path.push_back('/');
      break;
    case S_IFLNK:
      h.type = EntryType::kSymlink;
      h.link_target = TRY(read_link_at(dir_fd, name, static_cast<size_t>(st.st_size)));
      break;
    case S_IFCHR:
    case S_IFBLK:
      h.type = S_ISCHR(st.st_mode) ? EntryType::kCharDevice : EntryType::kBlockDevice;
      h.dev_major = major(st.st_rdev);
      h.dev_minor = minor(st.st_rdev);
      break;
    case S_IFIFO: h.type = EntryType::kFifo; break;
    default: return std::optional<TarHeader>();  // sockets
  }
  h.xattrs = TRY(archivable_xattrs_at(dir_fd, name));
  return std::optional<TarHeader>(std::move(h));
}

void HardlinkTracker::link_or_remember(const struct stat& st, TarHeader& header) {
  if (!S_ISREG(st.st_mode) || st.st_nlink < 2) return;
  auto [it, inserted] = first_path_.try_emplace({st.st_dev, st.st_ino}, header.path);
  if (inserted) return;
  header.type = EntryType::kHardlink;
  header.link_target = it->second;
  header.size = 0;
}

}  // namespace berth::store
