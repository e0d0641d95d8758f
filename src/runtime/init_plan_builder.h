// Turns a validated config.json into an InitPlan (parent side: may allocate, stat, open files).
#pragma once

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "cgroups/layout.h"
#include "oci/runtime_spec.h"
#include "runtime/init_plan.h"

namespace berth::runtime {

struct PlanContext {
  std::string container_id;
  std::string bundle;  // absolute
  std::string rootfs;  // absolute, resolved against the bundle
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
  const cgroups::Layout* cgroup_layout = nullptr;  // for "cgroup" mounts
  std::string cgroup_path;                         // the container's path in each hierarchy
  bool rootless = false;                           // euid != 0
};

struct PlannedInit {
  InitPlan plan;
  // A pid namespace to join is entered by the parent before the clone (setns(CLONE_NEWPID)
  // applies to children only).
  UniqueFd join_pid_ns;
  // The default device cgroup rules runc always allows, appended to the spec's.
  std::vector<oci::DeviceCgroupRule> default_device_rules;
  // The detached idmapped mount trees behind MountStep::tree_fd (prepare_idmapped_mounts).
  std::vector<UniqueFd> idmapped_trees;
};

Result<PlannedInit> build_init_plan(const oci::Spec& spec, const PlanContext& context);

// Creates the detached idmapped trees of the plan's kIdmappedBind steps (needs root: user
// namespaces, open_tree, mount_setattr). Their fds are placed at or above `min_fd`.
Status prepare_idmapped_mounts(PlannedInit& planned, int min_fd);

// Default device nodes every container gets (/dev/null, zero, full, random, urandom, tty).
std::vector<oci::Device> default_devices();
// The device cgroup rules runc appends to every container's list.
std::vector<oci::DeviceCgroupRule> default_device_cgroup_rules();

// "/proc/sys/net/ipv4/ip_forward" for "net.ipv4.ip_forward".
std::string sysctl_path(const std::string& name);

}  // namespace berth::runtime
