#include "cspec/host_info.h"

#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "base/file_util.h"
#include "base/strings.h"

namespace berth::cspec {
namespace {

bool is_fs_type(const char* path, int64_t magic) {
  struct statfs st {};
  return ::statfs(path, &st) == 0 && static_cast<int64_t>(st.f_type) == magic;
}

CgroupMode detect_cgroup_mode() {
  if (is_fs_type("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC)) return CgroupMode::kV2;
  if (is_fs_type("/sys/fs/cgroup/unified", CGROUP2_SUPER_MAGIC)) return CgroupMode::kHybrid;
  return CgroupMode::kV1;
}

std::string read_trimmed(const std::string& path, std::string fallback) {
  auto text = read_file(path);
  if (!text.ok()) return fallback;
  std::string value(trim(*text));
  return value.empty() ? fallback : value;
}

int64_t read_mem_total() {
  auto text = read_file("/proc/meminfo");
  if (!text.ok()) return 0;
  for (const auto& line : split(*text, '\n')) {
    if (!line.starts_with("MemTotal:")) continue;
    auto fields = split(std::string(trim(line.substr(9))), ' ');
    auto kib = parse_int64(fields.front());
    return kib.ok() ? *kib * 1024 : 0;
  }
  return 0;
}

std::string go_arch() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__i386__)
  return "386";
#elif defined(__arm__)
  return "arm";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64le";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

// /proc/self/uid_map covering all 2^32 ids means the initial user namespace.
bool detect_user_namespace() {
  auto text = read_file("/proc/self/uid_map");
  if (!text.ok()) return false;
  auto fields = split(std::string(trim(*text)), ' ');
  std::vector<std::string> values;
  for (auto& f : fields) {
    if (!f.empty()) values.push_back(f);
  }
  return !(values.size() == 3 && values[0] == "0" && values[1] == "0" && values[2] == "4294967295");
}

}  // namespace

CgroupFeatures default_cgroup_features(CgroupMode mode) {
  CgroupFeatures features;
  if (mode == CgroupMode::kV2) {
    features.memory_swappiness = false;
    features.kernel_memory_tcp = false;
    features.oom_kill_disable = false;
    features.cpu_realtime = false;
  }
  return features;
}

bool kernel_at_least(const HostInfo& host, int major, int minor) {
  return host.kernel_major > major || (host.kernel_major == major && host.kernel_minor >= minor);
}

Result<HostInfo> detect_host_info() {
  HostInfo host;
  long ncpu = ::sysconf(_SC_NPROCESSORS_ONLN);
  host.ncpu = ncpu > 0 ? static_cast<int>(ncpu) : 1;
  host.mem_total = read_mem_total();
  host.cgroup_mode = detect_cgroup_mode();
  host.cgroup = default_cgroup_features(host.cgroup_mode);
  host.cgroup.cgroup_namespaces = path_exists("/proc/self/ns/cgroup");
  if (host.cgroup_mode == CgroupMode::kV2) {
    host.cpuset_cpus = read_trimmed("/sys/fs/cgroup/cpuset.cpus.effective", "");
    host.cpuset_mems = read_trimmed("/sys/fs/cgroup/cpuset.mems.effective", "");
  } else {
    host.cpuset_cpus = read_trimmed("/sys/fs/cgroup/cpuset/cpuset.effective_cpus", "");
    host.cpuset_mems = read_trimmed("/sys/fs/cgroup/cpuset/cpuset.effective_mems", "");
    host.cgroup.cpu_realtime = path_exists("/sys/fs/cgroup/cpu/cpu.rt_runtime_us");
  }
  if (host.cpuset_cpus.empty()) host.cpuset_cpus = fmt::format("0-{}", host.ncpu - 1);
  if (host.cpuset_mems.empty()) host.cpuset_mems = "0";
  std::string status = read_trimmed("/proc/self/status", "");
  host.seccomp = status.find("Seccomp:") != std::string::npos;
  if (size_t at = status.find("CapBnd:"); at != std::string::npos) {
    host.bounding_set = std::strtoull(status.c_str() + at + 7, nullptr, 16);
  }
  host.apparmor = read_trimmed("/sys/module/apparmor/parameters/enabled", "N") == "Y";
  auto last_cap = parse_int(read_trimmed("/proc/sys/kernel/cap_last_cap", "40"));
  host.last_cap = last_cap.ok() ? *last_cap : 40;
  host.arch = go_arch();
  struct utsname uts {};
  if (::uname(&uts) == 0) {
    std::sscanf(uts.release, "%d.%d", &host.kernel_major, &host.kernel_minor);
    host.hostname = uts.nodename;
  }
  host.in_user_namespace = detect_user_namespace();
  host.has_ping_group_range = path_exists("/proc/sys/net/ipv4/ping_group_range");
  host.has_ip_unprivileged_port_start =
      path_exists("/proc/sys/net/ipv4/ip_unprivileged_port_start");
  return host;
}

}  // namespace berth::cspec
