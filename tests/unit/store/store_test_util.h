// Helpers for the store tests: temp dirs, tars built in memory, tree snapshots to compare.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "store/archive/compression.h"
#include "store/archive/tar_writer.h"
#include "store/fs/dir_ops.h"
#include "store/fs/xattr.h"

namespace berth::store::test {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/berth-store-XXXXXX";
    char* p = ::mkdtemp(tmpl);
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    // fs::remove_tree_at copes with read-only directories left by unprivileged tests.
    auto parent = fs::open_dir(dirname(path_));
    if (parent.ok()) (void)fs::remove_tree_at(parent->get(), basename(path_));
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_join(path_, rel); }

 private:
  std::string path_;
};

inline bool is_root() {
  return ::geteuid() == 0;
}

// Builds a tar in memory through TarWriter (libarchive), optionally compressed.
class TarBuilder {
 public:
  TarBuilder() : writer_(raw_) {}

  TarBuilder& file(const std::string& path, const std::string& content, uint32_t mode = 0644,
                   int64_t mtime = 1600000000) {
    TarHeader h = base(path, EntryType::kRegular, mode, mtime);
    h.size = static_cast<int64_t>(content.size());
    add(h, content);
    return *this;
  }
  TarBuilder& dir(const std::string& path, uint32_t mode = 0755, int64_t mtime = 1600000000) {
    add(base(path, EntryType::kDirectory, mode, mtime));
    return *this;
  }
  TarBuilder& symlink(const std::string& path, const std::string& target) {
    TarHeader h = base(path, EntryType::kSymlink, 0777, 1600000000);
    h.link_target = target;
    add(h);
    return *this;
  }
  TarBuilder& hardlink(const std::string& path, const std::string& target) {
    TarHeader h = base(path, EntryType::kHardlink, 0644, 1600000000);
    h.link_target = target;
    add(h);
    return *this;
  }
  TarBuilder& fifo(const std::string& path) {
    add(base(path, EntryType::kFifo, 0600, 1600000000));
    return *this;
  }
  TarBuilder& chardev(const std::string& path, uint32_t major_num, uint32_t minor_num) {
    TarHeader h = base(path, EntryType::kCharDevice, 0666, 1600000000);
    h.dev_major = major_num;
    h.dev_minor = minor_num;
    add(h);
    return *this;
  }
  TarBuilder& entry(const TarHeader& h, const std::string& content = "") {
    add(h, content);
    return *this;
  }
  // The uncompressed tar (a reference, so StringReader(builder.tar()) stays valid).
  const std::string& tar() {
    if (!finished_) {
      EXPECT_TRUE(writer_.finish().ok());
      finished_ = true;
    }
    return raw_out_;
  }
  std::string compressed(Compression c) {
    std::string data = tar();
    std::string out;
    StringWriter sink(&out);
    CompressingWriter w(sink, c);
    EXPECT_TRUE(w.write(data).ok());
    EXPECT_TRUE(w.finish().ok());
    return out;
  }

  static TarHeader base(const std::string& path, EntryType type, uint32_t mode, int64_t mtime) {
    TarHeader h;
    h.path = path;
    h.type = type;
    h.mode = mode;
    h.uid = ::geteuid();
    h.gid = ::getegid();
    h.mtime_sec = mtime;
    return h;
  }

 private:
  void add(const TarHeader& h, const std::string& content = "") {
    auto st = writer_.add(h);
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    if (!content.empty()) {
      EXPECT_TRUE(writer_.write_data(content).ok());
    }
  }

  std::string raw_out_;
  StringWriter raw_{&raw_out_};
  TarWriter writer_;
  bool finished_ = false;
};

inline std::string slurp(const std::string& path) {
  auto r = read_file(path);
  return r.ok() ? *r : "<missing>";
}

inline bool exists(const std::string& path) {
  return path_exists(path);
}

inline struct stat lstat_path(const std::string& path) {
  struct stat st {};
  ::lstat(path.c_str(), &st);
  return st;
}

inline void write(const std::string& path, const std::string& data, mode_t mode = 0644) {
  ASSERT_TRUE(make_dirs(dirname(path)).ok());
  ASSERT_TRUE(write_file(path, data, mode).ok());
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

inline void set_mtime(const std::string& path, int64_t sec) {
  struct timespec ts[2] = {{sec, 0}, {sec, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), ts, AT_SYMLINK_NOFOLLOW), 0);
}

// A description of every entry in a tree (type, mode, owner, size, content or link target,
// mtime seconds unless `with_dir_mtimes` is false for directories, xattrs), keyed by path.
inline void describe_tree(const std::string& root, const std::string& rel,
                          std::map<std::string, std::string>& out, bool dir_mtimes) {
  auto fd = fs::open_dir(path_join(root, rel));
  ASSERT_TRUE(fd.ok()) << path_join(root, rel);
  auto names = fs::list_dir(fd->get());
  ASSERT_TRUE(names.ok());
  for (const auto& name : *names) {
    std::string child = rel.empty() ? name : rel + "/" + name;
    std::string full = path_join(root, child);
    struct stat st = lstat_path(full);
    std::string d = std::to_string(st.st_mode) + " " + std::to_string(st.st_uid) + ":" +
                    std::to_string(st.st_gid);
    if (!S_ISDIR(st.st_mode) || dir_mtimes) d += " t" + std::to_string(st.st_mtim.tv_sec);
    if (S_ISREG(st.st_mode)) d += " =" + slurp(full);
    if (S_ISLNK(st.st_mode)) {
      char buf[4096];
      ssize_t n = ::readlink(full.c_str(), buf, sizeof buf);
      d += " ->" + std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) d += " dev" + std::to_string(st.st_rdev);
    auto xattrs = fs::list_xattrs_at(fd->get(), name);
    if (xattrs.ok()) {
      for (const auto& [k, v] : *xattrs) d += " x:" + k + "=" + v;
    }
    out[child] = d;
    if (S_ISDIR(st.st_mode)) describe_tree(root, child, out, dir_mtimes);
  }
}

inline std::map<std::string, std::string> tree(const std::string& root, bool dir_mtimes = true) {
  std::map<std::string, std::string> out;
  describe_tree(root, "", out, dir_mtimes);
  return out;
}

}  // namespace berth::store::test
