// cgroup v1 cpuset: which CPUs and memory nodes the container may use.
#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

namespace {

// A v1 cpuset starts with empty cpus and mems, and a process cannot join a cgroup whose cpuset
// is empty; copying the parent's values is what the kernel's cgroup.clone_children would do.
Status inherit(const std::string& dir, const std::string& parent, const char* name) {
  auto current = TRY(read_cgroup_file(dir, name));
  if (!trim(current).empty()) return {};
  auto from_parent = TRY(read_cgroup_file(parent, name));
  if (trim(from_parent).empty()) return {};
  return write_cgroup_file(dir, name, trim(from_parent));
}

}  // namespace

Status init_cpuset(const std::string& mount, const std::vector<std::string>& levels) {
  std::string parent = mount;
  for (const auto& dir : levels) {
    TRY(inherit(dir, parent, "cpuset.cpus"));
    TRY(inherit(dir, parent, "cpuset.mems"));
    parent = dir;
  }
  return {};
}

Status set_cpuset(const std::string& dir, const oci::CpuResources& cpu) {
  if (!cpu.cpus.empty()) TRY(write_cgroup_file(dir, "cpuset.cpus", cpu.cpus));
  if (!cpu.mems.empty()) TRY(write_cgroup_file(dir, "cpuset.mems", cpu.mems));
  return {};
}

}  // namespace berth::cgroups::v1
