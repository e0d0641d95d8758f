// cgroup v2 freezer: cgroup.freeze, confirmed through cgroup.events.
#include <chrono>
#include <thread>

#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

namespace {
using std::chrono::milliseconds;
}  // namespace

Status freeze(const std::string& dir) {
  TRY(write_cgroup_file(dir, "cgroup.freeze", "1"));
  // Tasks stop at their next return to user space; a task deep in a syscall takes a moment.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto delay = milliseconds(1);
  while (true) {
    if (TRY(read_cgroup_key(dir, "cgroup.events", "frozen")) == 1) return {};
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, milliseconds(50));
  }
  (void)write_cgroup_file(dir, "cgroup.freeze", "0");
  return make_error(ErrorCode::kDeadlineExceeded, "{}: unable to freeze (not frozen after 5s)",
                    dir);
}

Status thaw(const std::string& dir) {
  return write_cgroup_file(dir, "cgroup.freeze", "0");
}

Result<bool> is_frozen(const std::string& dir) {
  // cgroup.freeze is what was asked for; a cgroup being frozen right now counts as paused.
  auto value = TRY(read_cgroup_file(dir, "cgroup.freeze"));
  return trim(value) == "1";
}

}  // namespace berth::cgroups::v2
