// `ps`, `events --stats` and `update`: what the cgroup knows.
#include "oci/runtime_spec_validate.h"
#include "runtime/runtime.h"

namespace berth::runtime {

Result<std::vector<pid_t>> Runtime::pids(const std::string& id) {
  ListEntry entry = TRY(lookup(id));
  if (entry.status == ContainerStatus::kStopped) return std::vector<pid_t>{};
  auto manager = TRY(cgroup_manager(entry.state));
  return manager->processes();
}

Result<Json> Runtime::stats(const std::string& id) {
  ListEntry entry = TRY(lookup(id));
  if (entry.status == ContainerStatus::kStopped)
    return Error(ErrorCode::kFailedPrecondition, "container not running");
  auto manager = TRY(cgroup_manager(entry.state));
  cgroups::Stats stats = TRY(manager->stats());
  return cgroups::stats_to_runc_json(stats);
}

namespace {

// Overlays the set fields of `update` onto `base` (runc update semantics: unset means keep).
template <typename T>
void merge_optional(std::optional<T>& base, const std::optional<T>& update) {
  if (update) base = update;
}

void merge_resources(oci::Resources& base, const oci::Resources& update) {
  if (update.memory) {
    if (!base.memory) base.memory.emplace();
    auto& b = *base.memory;
    const auto& u = *update.memory;
    merge_optional(b.limit, u.limit);
    merge_optional(b.reservation, u.reservation);
    merge_optional(b.swap, u.swap);
    merge_optional(b.kernel, u.kernel);
    merge_optional(b.kernel_tcp, u.kernel_tcp);
    merge_optional(b.swappiness, u.swappiness);
    merge_optional(b.disable_oom_killer, u.disable_oom_killer);
  }
  if (update.cpu) {
    if (!base.cpu) base.cpu.emplace();
    auto& b = *base.cpu;
    const auto& u = *update.cpu;
    merge_optional(b.shares, u.shares);
    merge_optional(b.quota, u.quota);
    merge_optional(b.burst, u.burst);
    merge_optional(b.period, u.period);
    merge_optional(b.realtime_runtime, u.realtime_runtime);
    merge_optional(b.realtime_period, u.realtime_period);
    merge_optional(b.idle, u.idle);
    if (!u.cpus.empty()) b.cpus = u.cpus;
    if (!u.mems.empty()) b.mems = u.mems;
  }
  merge_optional(base.pids, update.pids);
  if (update.block_io) {
    if (!base.block_io) base.block_io.emplace();
    merge_optional(base.block_io->weight, update.block_io->weight);
    merge_optional(base.block_io->leaf_weight, update.block_io->leaf_weight);
  }
  if (!update.hugepage_limits.empty()) base.hugepage_limits = update.hugepage_limits;
  for (const auto& [k, v] : update.unified) base.unified[k] = v;
}

}  // namespace

Status Runtime::update(const std::string& id, const oci::Resources& resources) {
  TRY(oci::validate_resources(resources));
  auto lock = TRY(store_.lock(id));
  ListEntry entry = TRY(lookup(id));
  if (entry.status == ContainerStatus::kStopped)
    return Error(ErrorCode::kFailedPrecondition, "container not running");
  auto manager = TRY(cgroup_manager(entry.state));
  TRY(manager->update(resources));
  oci::Spec spec = TRY(store_.load_config(id));
  if (!spec.linux) spec.linux.emplace();
  if (!spec.linux->resources) spec.linux->resources.emplace();
  merge_resources(*spec.linux->resources, resources);
  return store_.save_config(id, spec);
}

}  // namespace berth::runtime
