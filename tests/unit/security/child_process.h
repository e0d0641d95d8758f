// Runs a test body in a forked child, so that seccomp filters and capability drops (which cannot
// be undone) stay out of the test process. The child records numbers without allocating and the
// parent reads them back with the child's wait status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace berth::security::testing {

class Reporter {
 public:
  void add(int64_t value) {
    if (count_ < kCapacity) values_[count_++] = value;
  }
  // The result of a raw system call: its return value, or -errno when it failed.
  void add_syscall(long rc);

  const int64_t* data() const { return values_; }
  size_t count() const { return count_; }

 private:
  static constexpr size_t kCapacity = 64;
  int64_t values_[kCapacity] = {};
  size_t count_ = 0;
};

struct ChildOutcome {
  int wait_status = 0;
  std::vector<int64_t> values;

  bool exited_ok() const;
  bool killed_by(int signal) const;
};

// Forks; the child (made non-dumpable, so a seccomp kill leaves no core) runs `body` and exits
// with its return value through exit_group(2), after sending what it reported.
ChildOutcome run_in_child(int (*body)(Reporter& report, const void* arg),
                          const void* arg = nullptr);

}  // namespace berth::security::testing
