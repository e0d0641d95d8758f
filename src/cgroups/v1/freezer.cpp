// cgroup v1 freezer.
#include <chrono>
#include <thread>

#include "base/log.h"
#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr const char* kState = "freezer.state";

Result<std::string> read_state(const std::string& dir) {
  auto text = TRY(read_cgroup_file(dir, kState));
  return std::string(trim(text));
}

}  // namespace

Status freeze(const std::string& dir) {
  // A v1 cgroup can stay FREEZING while its tasks keep forking or being added; asking again,
  // and now and then thawing to let a fork finish, gets it there (runc found the same).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (int attempt = 0; std::chrono::steady_clock::now() < deadline; ++attempt) {
    if (attempt % 50 == 49) {
      (void)write_cgroup_file(dir, kState, "THAWED");
      std::this_thread::sleep_for(milliseconds(10));
    }
    auto status = write_cgroup_file(dir, kState, "FROZEN");
    if (!status.ok()) {
      (void)write_cgroup_file(dir, kState, "THAWED");
      return status;
    }
    std::this_thread::sleep_for(microseconds(attempt < 10 ? 100 : 1000));
    auto state = TRY(read_state(dir));
    if (state == "FROZEN") return {};
    if (state != "FREEZING") {
      return make_error(ErrorCode::kInternal, "{}/{}: unexpected state \"{}\" while freezing", dir,
                        kState, state);
    }
  }
  // Leaving it half-frozen would hang the container; give up cleanly instead.
  (void)write_cgroup_file(dir, kState, "THAWED");
  return make_error(ErrorCode::kDeadlineExceeded, "{}: unable to freeze (stuck in FREEZING)", dir);
}

Status thaw(const std::string& dir) {
  return write_cgroup_file(dir, kState, "THAWED");
}

Result<bool> is_frozen(const std::string& dir) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto state = TRY(read_state(dir));
    if (state == "THAWED") return false;
    if (state == "FROZEN") {
      // FROZEN also shows when only an ancestor is frozen; that is not this container's pause.
      if (!cgroup_file_exists(dir, "freezer.self_freezing")) return true;
      auto self = TRY(read_cgroup_file(dir, "freezer.self_freezing"));
      return trim(self) == "1";
    }
    std::this_thread::sleep_for(milliseconds(1));  // FREEZING: wait for a stable answer
  }
  log::debug("{}: still FREEZING; reporting frozen", dir);
  return true;
}

}  // namespace berth::cgroups::v1
