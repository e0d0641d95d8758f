// Reading and writing cgroup control files.
//
// Writes never create files: on cgroupfs a missing file means the controller or knob is absent,
// and in tests (a temp dir as the cgroup root) it means the test did not pretend it exists.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::cgroups {

// Writes `value` in one write(2), as the kernel wants it.
Status write_cgroup_file(const std::string& dir, std::string_view name, std::string_view value);
// One write per non-empty line: multi-entry files (io.max, devices.allow, net_prio.ifpriomap,
// blkio.throttle.*) take a single entry per write.
Status write_cgroup_lines(const std::string& dir, std::string_view name, std::string_view value);

bool cgroup_file_exists(const std::string& dir, std::string_view name);
Result<std::string> read_cgroup_file(const std::string& dir, std::string_view name);
// A single number; "max" reads as UINT64_MAX. Negative v1 values ("-1") read as UINT64_MAX too.
Result<uint64_t> read_cgroup_uint(const std::string& dir, std::string_view name);
// "key value" lines (memory.stat, cpu.stat, memory.events, oom_control, ...).
Result<std::map<std::string, uint64_t>> read_cgroup_keyed(const std::string& dir,
                                                          std::string_view name);
// One key of a keyed file; 0 when the key is absent.
Result<uint64_t> read_cgroup_key(const std::string& dir, std::string_view name,
                                 std::string_view key);
// Whitespace-separated words (cgroup.controllers).
Result<std::vector<std::string>> read_cgroup_words(const std::string& dir, std::string_view name);

// Page sizes ("2MB", "1GB") for which <dir> has hugetlb.<size>.<suffix> (not the .rsvd. ones).
Result<std::vector<std::string>> hugetlb_page_sizes(const std::string& dir,
                                                    std::string_view suffix);

// "123" -> 123, "max" -> UINT64_MAX.
Result<uint64_t> parse_cgroup_uint(std::string_view text);

// Test seam: while a recorder lives, every write through this file is appended to it in order
// (a temp file keeps only the last value; failed writes are recorded too), planned failures are
// returned instead of writing, and cgroup v2 device programs are recorded instead of loaded
// (loading needs root and a real cgroup2 directory). Single-threaded tests only.
class CgroupWriteRecorder {
 public:
  struct Write {
    std::string path;
    std::string value;
  };
  struct DeviceProgram {
    std::string dir;
    std::vector<bpf_insn> program;
  };

  // The live recorder, or nullptr.
  static CgroupWriteRecorder* active();

  CgroupWriteRecorder();
  ~CgroupWriteRecorder();
  CgroupWriteRecorder(const CgroupWriteRecorder&) = delete;
  CgroupWriteRecorder& operator=(const CgroupWriteRecorder&) = delete;

  const std::vector<Write>& writes() const { return writes_; }
  // Values written to files whose path ends with `name_suffix`, in order.
  std::vector<std::string> values_for(std::string_view name_suffix) const;
  void clear() { writes_.clear(); }
  // The next `times` writes to a path ending with `name_suffix` fail with `err`.
  void fail(std::string name_suffix, int err, int times = 1);

  const std::vector<DeviceProgram>& device_programs() const { return device_programs_; }

  // Used by write_cgroup_file: records the write; returns the errno to fail it with, or 0.
  int on_write(const std::string& path, std::string_view value);
  void on_device_program(const std::string& dir, const std::vector<bpf_insn>& program) {
    device_programs_.push_back({dir, program});
  }

 private:
  struct Failure {
    std::string suffix;
    int err;
    int times;
  };
  std::vector<Write> writes_;
  std::vector<Failure> failures_;
  std::vector<DeviceProgram> device_programs_;
};

}  // namespace berth::cgroups
