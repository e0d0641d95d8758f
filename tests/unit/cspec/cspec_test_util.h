// Helpers for the cspec tests: temporary directories, fake root filesystems, a fixed host.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/json.h"
#include "cspec/host_info.h"

namespace berth::cspec::test {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/berth-cspec-XXXXXX";
    char* p = ::mkdtemp(tmpl);
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() { (void)remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_join(path_, rel); }

  // Writes `content` at `rel`, creating directories on the way.
  void write(const std::string& rel, const std::string& content) const {
    std::string path = *this / rel;
    ASSERT_TRUE(make_dirs(dirname(path)).ok());
    ASSERT_TRUE(write_file(path, content).ok());
  }
  void symlink(const std::string& rel, const std::string& target) const {
    std::string path = *this / rel;
    ASSERT_TRUE(make_dirs(dirname(path)).ok());
    ASSERT_EQ(::symlink(target.c_str(), path.c_str()), 0);
  }
  void mkdir(const std::string& rel) const { ASSERT_TRUE(make_dirs(*this / rel).ok()); }

 private:
  std::string path_;
};

// A host that does not depend on the machine running the tests: 4 CPUs, 8 GiB, cgroup v2,
// kernel 6.1, amd64, no AppArmor, capabilities up to CAP_CHECKPOINT_RESTORE.
inline HostInfo test_host() {
  HostInfo host;
  host.ncpu = 4;
  host.mem_total = int64_t{8} << 30;
  host.cgroup_mode = CgroupMode::kV2;
  host.cgroup = default_cgroup_features(CgroupMode::kV2);
  host.cpuset_cpus = "0-3";
  host.cpuset_mems = "0";
  host.seccomp = true;
  host.apparmor = false;
  host.last_cap = 40;
  host.arch = "amd64";
  host.kernel_major = 6;
  host.kernel_minor = 1;
  host.hostname = "testhost";
  host.dev_dir = "/nonexistent-dev";
  return host;
}

// A 64-hex-digit container id.
inline const char* kTestId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// Whether every member of `expected` is in `actual` with an equal value (objects recursively,
// anything else by equality; a null in `expected` wants the member absent). On mismatch, `where`
// names the first differing path.
bool json_contains(const Json& actual, const Json& expected, std::string* where,
                   const std::string& path = "");

}  // namespace berth::cspec::test
