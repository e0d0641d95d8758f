// What the engine knows about its host and its own configuration when it turns a create request
// into a container: everything the pure functions of this module would otherwise have to ask the
// system. Tests build one by hand; the daemon calls detect_host_info() once at start-up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace berth::cspec {

enum class CgroupMode { kV1, kHybrid, kV2 };

// The cgroup features Docker's sysinfo reports. A request that uses a missing one is accepted
// with a warning and the setting is dropped, as Docker does.
struct CgroupFeatures {
  bool memory_limit = true;
  bool swap_limit = true;
  bool memory_reservation = true;
  bool memory_swappiness = true;
  bool kernel_memory_tcp = true;
  bool oom_kill_disable = true;
  bool pids_limit = true;
  bool cpu_shares = true;
  bool cpu_cfs = true;
  bool cpu_realtime = false;
  bool cpuset = true;
  bool blkio_weight = true;
  bool blkio_weight_device = true;
  bool blkio_throttle = true;
  bool cgroup_namespaces = true;
};

// What Docker's sysinfo reports for each layout: cgroup v2 has no swappiness, no OOM-killer
// switch and no kernel TCP limit; realtime CPU settings exist only in v1's cpu controller.
CgroupFeatures default_cgroup_features(CgroupMode mode);

// A daemon-wide default --ulimit.
struct DefaultUlimit {
  std::string name;  // "nofile"
  int64_t soft = 0;
  int64_t hard = 0;
};

// berthd's own settings that change how containers are built (dockerd's daemon.json keys).
struct DaemonDefaults {
  std::string ipc_mode = "private";  // default-ipc-mode
  std::string cgroupns_mode;  // default-cgroupns-mode; empty: Docker's default for the layout
  int64_t shm_size = int64_t{64} << 20;  // default-shm-size
  bool init = false;                     // --init for every container
  bool no_new_privileges = false;        // no-new-privileges
  std::string cgroup_parent = "/berth";  // cgroup-parent
  // data-root: a bind mount from inside it (or of a parent of it) gets rslave propagation unless
  // the request names one, so that the engine's later mounts there reach the container.
  std::string data_root = "/var/lib/berth";
  std::vector<DefaultUlimit> ulimits;  // default-ulimits
  // seccomp-profile: empty for the built-in profile, "unconfined", or a profile's JSON text.
  std::string seccomp_profile;
};

struct HostInfo {
  int ncpu = 1;
  int64_t mem_total = 0;
  CgroupMode cgroup_mode = CgroupMode::kV2;
  CgroupFeatures cgroup = default_cgroup_features(CgroupMode::kV2);
  std::string cpuset_cpus = "0";  // the CPUs and memory nodes a container may ask for
  std::string cpuset_mems = "0";
  bool seccomp = true;
  bool apparmor = false;
  // The AppArmor profile unprivileged containers get when the host has AppArmor ("docker-default"
  // in Docker); empty: the engine has loaded none, so none is set.
  std::string apparmor_default_profile;
  int last_cap = 40;  // /proc/sys/kernel/cap_last_cap
  // berthd's bounding set (CapBnd): --privileged grants these, not capabilities the engine
  // cannot hand out (capset would fail on a host that dropped, say, CAP_SYS_MODULE).
  uint64_t bounding_set = ~uint64_t{0};
  // The architecture as Go spells it ("amd64", "arm64"): the name seccomp profiles use in
  // includes/excludes.arches.
  std::string arch = "amd64";
  int kernel_major = 0;  // for seccomp minKernel filters and recursive read-only binds
  int kernel_minor = 0;
  std::string hostname;            // the host's name, which --network host containers take
  bool in_user_namespace = false;  // the engine itself runs in a user namespace
  // Default sysctls Docker sets only where the kernel has them.
  bool has_ping_group_range = true;
  bool has_ip_unprivileged_port_start = true;
  std::string dev_dir = "/dev";  // where --privileged finds the host's devices
  DaemonDefaults daemon;
};

// True when the kernel is at least major.minor.
bool kernel_at_least(const HostInfo& host, int major, int minor);

// Probes the running system: CPUs, memory, cgroup layout, cpusets, AppArmor, seccomp, capability
// count, kernel version, hostname, sysctls. Daemon settings are left at their defaults.
Result<HostInfo> detect_host_info();

}  // namespace berth::cspec
