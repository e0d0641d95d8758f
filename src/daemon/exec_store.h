// Exec instances (POST /containers/{id}/exec): what each was created with and how it went.
// Kept in memory, as dockerd does: an exec does not outlive the daemon that ran it. An exec
// is listed in its container's ExecIDs until it exits, and can be inspected until its container
// is removed.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::daemon {

struct ExecConfig {
  std::string id;
  std::string container_id;
  std::string entrypoint;
  std::vector<std::string> args;
  std::vector<std::string> env;  // the whole environment (the container's, then the exec's)
  std::string user;
  std::string working_dir;
  bool tty = false;
  bool open_stdin = false;
  bool open_stdout = false;
  bool open_stderr = false;
  bool privileged = false;
  std::string detach_keys;  // bytes (parse_detach_keys)
  std::optional<std::array<uint32_t, 2>> console_size;  // height, width
  bool running = false;
  bool started = false;
  std::optional<int> exit_code;
  int pid = 0;  // on the host
};

// GET /exec/{id}/json.
Json exec_inspect_json(const ExecConfig& e);

class ExecStore {
 public:
  void add(ExecConfig exec);
  // kNotFound: "No such exec instance: <id>".
  Result<ExecConfig> get(const std::string& id) const;
  // Applies `fn` under the store's lock; kNotFound as get().
  template <typename Fn>
  Status update(const std::string& id, Fn&& fn) {
    std::lock_guard lock(mutex_);
    auto it = execs_.find(id);
    if (it == execs_.end()) return not_found(id);
    fn(it->second);
    return {};
  }
  // The container's execs that have not exited (inspect's ExecIDs), oldest first.
  std::vector<std::string> active_ids(const std::string& container_id) const;
  // Forgets every exec of containers for which `gone` says true.
  template <typename Pred>
  void forget_if(Pred&& gone) {
    std::lock_guard lock(mutex_);
    for (auto it = execs_.begin(); it != execs_.end();) {
      if (gone(it->second.container_id)) {
        order_.erase(it->first);
        it = execs_.erase(it);
      } else {
        ++it;
      }
    }
  }

 private:
  static Error not_found(const std::string& id);

  mutable std::mutex mutex_;
  std::map<std::string, ExecConfig> execs_;
  uint64_t next_order_ = 0;
  std::map<std::string, uint64_t> order_;
};

}  // namespace berth::daemon
