#include "daemon/exec_store.h"

#include <algorithm>

namespace berth::daemon {

Json exec_inspect_json(const ExecConfig& e) {
  Json process = {{"tty", e.tty},
                  {"entrypoint", e.entrypoint},
                  {"arguments", e.args},
                  {"privileged", e.privileged}};
  if (!e.user.empty()) process["user"] = e.user;
  return {{"ID", e.id},
          {"Running", e.running},
          {"ExitCode", e.exit_code ? Json(*e.exit_code) : Json(nullptr)},
          {"ProcessConfig", process},
          {"OpenStdin", e.open_stdin},
          {"OpenStderr", e.open_stderr},
          {"OpenStdout", e.open_stdout},
          {"CanRemove", false},
          {"ContainerID", e.container_id},
          {"DetachKeys", e.detach_keys},
          {"Pid", e.pid}};
}

Error ExecStore::not_found(const std::string& id) {
  return make_error(ErrorCode::kNotFound, "No such exec instance: {}", id);
}

void ExecStore::add(ExecConfig exec) {
  std::lock_guard lock(mutex_);
  order_[exec.id] = next_order_++;
  std::string id = exec.id;
  execs_[id] = std::move(exec);
}

Result<ExecConfig> ExecStore::get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = execs_.find(id);
  if (it == execs_.end()) return not_found(id);
  return it->second;
}

std::vector<std::string> ExecStore::active_ids(const std::string& container_id) const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<uint64_t, std::string>> found;
  for (const auto& [id, e] : execs_) {
    if (e.container_id == container_id && !e.exit_code) {
      auto order = order_.find(id);
      found.emplace_back(order == order_.end() ? 0 : order->second, id);
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> ids;
  for (auto& [order, id] : found) ids.push_back(std::move(id));
  return ids;
}

}  // namespace berth::daemon
