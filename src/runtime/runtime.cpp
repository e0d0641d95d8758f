#include "runtime/runtime.h"

#include "base/file_util.h"
#include "base/log.h"
#include "runtime/hooks.h"

namespace berth::runtime {

Runtime::Runtime(RuntimeConfig config) : config_(std::move(config)), store_(config_.root) {}

Result<const cgroups::Layout*> Runtime::layout() {
  if (!config_.cgroup_layout) config_.cgroup_layout = TRY(cgroups::detect_layout());
  return &*config_.cgroup_layout;
}

Result<std::unique_ptr<cgroups::Manager>> Runtime::cgroup_manager(const ContainerState& state) {
  const cgroups::Layout* l = TRY(layout());
  return cgroups::make_manager(*l, state.cgroup_path);
}

Result<ListEntry> Runtime::lookup(const std::string& id) {
  ListEntry entry;
  entry.state = TRY(store_.load(id));
  bool frozen = false;
  if (auto manager = cgroup_manager(entry.state); manager.ok()) {
    auto f = (*manager)->is_frozen();
    frozen = f.ok() && *f;
  }
  entry.status = current_status(store_, entry.state, frozen);
  return entry;
}

Result<OrderedJson> Runtime::state(const std::string& id) {
  ListEntry entry = TRY(lookup(id));
  return state_to_json(entry.state, entry.status);
}

Result<std::vector<ListEntry>> Runtime::list() {
  std::vector<ListEntry> out;
  for (const auto& id : TRY(store_.list_ids())) {
    auto entry = lookup(id);
    if (entry.ok()) out.push_back(std::move(*entry));
  }
  return out;
}

Status Runtime::run_poststop_hooks(const ContainerState& state) {
  auto spec = store_.load_config(state.id);
  if (!spec.ok() || !spec->hooks || spec->hooks->poststop.empty()) return {};
  OrderedJson j;
  j["ociVersion"] = oci::kRuntimeSpecVersion;
  j["id"] = state.id;
  j["status"] = "stopped";
  j["bundle"] = state.bundle;
  if (!state.annotations.empty()) j["annotations"] = state.annotations;
  return run_hooks(make_hook_commands(spec->hooks->poststop), "poststop", j.dump());
}

}  // namespace berth::runtime
