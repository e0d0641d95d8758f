#include "cspec/spec_mounts.h"

#include <algorithm>
#include <set>

#include "base/file_util.h"
#include "base/strings.h"
#include "cspec/docker_json.h"
#include "cspec/tmpfs_options.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";
constexpr const char* kInitPath = "/sbin/docker-init";

// A container mount before it becomes a spec mount (dockerd's container.Mount).
struct ContainerMount {
  std::string source;
  std::string destination;
  bool tmpfs = false;
  bool writable = true;
  std::string propagation;
  bool non_recursive = false;
  bool read_only_non_recursive = false;
  bool read_only_force_recursive = false;
  std::string data;  // tmpfs options
};

oci::Mount make_mount(const char* destination, const char* type, const char* source,
                      std::vector<std::string> options) {
  oci::Mount m;
  m.destination = destination;
  m.type = type;
  m.source = source;
  m.options = std::move(options);
  return m;
}

size_t depth(const std::string& destination) {
  std::string cleaned = clean_path(destination);
  return static_cast<size_t>(std::count(cleaned.begin(), cleaned.end(), '/'));
}

bool has_option(const std::vector<std::string>& options, std::string_view option) {
  return std::find(options.begin(), options.end(), option) != options.end();
}

void clear_read_only(oci::Mount& mount) {
  mount.options.erase(std::remove(mount.options.begin(), mount.options.end(), "ro"),
                      mount.options.end());
}

Result<std::vector<ContainerMount>> collect(const StartInput& input) {
  const Json& hc = input.host_config;
  auto tmpfs = TRY(get_string_map(hc, "Tmpfs", kWhere));
  bool readonly_root = TRY(get_bool(hc, "ReadonlyRootfs", kWhere));
  std::vector<ContainerMount> out;
  std::set<std::string> covered;
  std::vector<ContainerMount> tmpfs_points;

  for (const MountPoint& point : input.mounts) {
    std::string destination = clean_path(point.destination);
    if (point.type == "tmpfs") {
      ContainerMount m;
      m.source = "tmpfs";
      m.destination = destination;
      m.tmpfs = true;
      m.data = point.tmpfs_data;
      tmpfs_points.push_back(std::move(m));
      continue;
    }
    if (tmpfs.count(destination)) continue;  // HostConfig.Tmpfs wins, as in dockerd
    if (point.type != "bind" && point.type != "volume") {
      return make_error(ErrorCode::kInvalidArgument, "mount {}: unsupported type {:?}", destination,
                        point.type);
    }
    ContainerMount m;
    m.source = point.source;
    m.destination = destination;
    m.writable = point.rw;
    m.propagation = point.propagation;
    m.non_recursive = point.non_recursive;
    m.read_only_non_recursive = point.read_only_non_recursive;
    m.read_only_force_recursive = point.read_only_force_recursive;
    covered.insert(destination);
    out.push_back(std::move(m));
  }
  std::stable_sort(out.begin(), out.end(), [](const ContainerMount& a, const ContainerMount& b) {
    return depth(a.destination) < depth(b.destination);
  });

  // The files the daemon writes for name resolution, unless the user mounts over them.
  for (auto [path, destination] : {std::pair{&input.resolv_conf_path, "/etc/resolv.conf"},
                                   std::pair{&input.hostname_path, "/etc/hostname"},
                                   std::pair{&input.hosts_path, "/etc/hosts"}}) {
    if (path->empty() || covered.count(destination)) continue;
    ContainerMount m;
    m.source = *path;
    m.destination = destination;
    m.writable = !readonly_root;
    m.propagation = "rprivate";
    out.push_back(std::move(m));
    covered.insert(destination);
  }

  std::string ipc = TRY(get_string(hc, "IpcMode", kWhere));
  if (ipc != "private" && !ipc.empty() && ipc != "none" && !input.shm_path.empty() &&
      !covered.count("/dev/shm") && !tmpfs.count("/dev/shm") &&
      std::none_of(tmpfs_points.begin(), tmpfs_points.end(),
                   [](const ContainerMount& m) { return m.destination == "/dev/shm"; })) {
    ContainerMount m;
    m.source = input.shm_path;
    m.destination = "/dev/shm";
    m.propagation = "rprivate";
    out.push_back(std::move(m));
  }

  for (const auto& [destination, data] : tmpfs) {
    ContainerMount m;
    m.source = "tmpfs";
    m.destination = destination;
    m.tmpfs = true;
    m.data = data;
    out.push_back(std::move(m));
  }
  for (auto& m : tmpfs_points) out.push_back(std::move(m));

  std::stable_sort(out.begin(), out.end(), [](const ContainerMount& a, const ContainerMount& b) {
    return depth(a.destination) < depth(b.destination);
  });
  return out;
}

Result<oci::Mount> bind_mount(const ContainerMount& m, const HostInfo& host,
                              std::string* rootfs_propagation) {
  oci::Mount out;
  out.destination = m.destination;
  out.type = "bind";
  out.source = m.source;
  out.options.emplace_back(m.non_recursive ? "bind" : "rbind");
  if (!m.writable) {
    if (m.read_only_non_recursive && m.read_only_force_recursive) {
      return make_error(ErrorCode::kInvalidArgument,
                        "mount options conflict: ReadOnlyNonRecursive && ReadOnlyForceRecursive");
    }
    // mount_setattr(MOUNT_ATTR_RDONLY, AT_RECURSIVE) arrived in Linux 5.12.
    bool recursive = !m.read_only_non_recursive && kernel_at_least(host, 5, 12);
    if (m.read_only_force_recursive && !recursive) {
      return make_error(ErrorCode::kInvalidArgument,
                        "recursive read-only mount of {} needs Linux 5.12 or later", m.destination);
    }
    out.options.emplace_back(recursive ? "rro" : "ro");
  }
  const std::string& p = m.propagation;
  if (p == "shared" || p == "rshared") {
    if (*rootfs_propagation != "shared" && *rootfs_propagation != "rshared") {
      *rootfs_propagation = "shared";
    }
  } else if (p == "slave" || p == "rslave") {
    if (rootfs_propagation->empty() || *rootfs_propagation == "private" ||
        *rootfs_propagation == "rprivate") {
      *rootfs_propagation = "rslave";
    }
  }
  if (!p.empty()) out.options.push_back(p);
  return out;
}

}  // namespace

std::vector<oci::Mount> docker_default_mounts() {
  return {
      make_mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      make_mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      make_mount("/dev/pts", "devpts", "devpts",
                 {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      make_mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      make_mount("/sys/fs/cgroup", "cgroup", "cgroup", {"ro", "nosuid", "noexec", "nodev"}),
      make_mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      make_mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777"}),
  };
}

Result<SpecMounts> container_mounts(const StartInput& input, bool with_init) {
  const Json& hc = input.host_config;
  std::vector<ContainerMount> user = TRY(collect(input));
  std::set<std::string> user_destinations;
  for (const auto& m : user) user_destinations.insert(m.destination);

  std::string ipc = TRY(get_string(hc, "IpcMode", kWhere));
  int64_t shm_size = TRY(get_int(hc, "ShmSize", kWhere));
  if (shm_size == 0) shm_size = input.host.daemon.shm_size;
  bool dev_replaced = user_destinations.count("/dev") != 0;

  SpecMounts out;
  for (oci::Mount& m : docker_default_mounts()) {
    if (user_destinations.count(m.destination)) continue;
    if (dev_replaced && m.destination.starts_with("/dev/")) continue;
    if (m.destination == "/dev/shm") {
      if (ipc == "none") continue;
      m.options.push_back(fmt::format("size={}", shm_size));
    }
    out.mounts.push_back(std::move(m));
  }
  if (with_init) {
    if (input.init_path.empty()) {
      return make_error(ErrorCode::kFailedPrecondition,
                        "--init needs the engine's init binary, and none is configured");
    }
    out.mounts.push_back(make_mount(kInitPath, "bind", input.init_path.c_str(), {"bind", "ro"}));
  }
  for (const ContainerMount& m : user) {
    if (m.tmpfs) {
      oci::Mount tmpfs;
      tmpfs.destination = m.destination;
      tmpfs.type = "tmpfs";
      tmpfs.source = "tmpfs";
      tmpfs.options = TRY(tmpfs_mount_options(m.data));
      out.mounts.push_back(std::move(tmpfs));
      continue;
    }
    out.mounts.push_back(TRY(bind_mount(m, input.host, &out.rootfs_propagation)));
  }

  if (TRY(get_bool(hc, "ReadonlyRootfs", kWhere))) {
    for (oci::Mount& m : out.mounts) {
      const std::string& d = m.destination;
      if (d == "/proc" || d == "/dev/pts" || d == "/dev/shm" || d == "/dev/mqueue" || d == "/dev") {
        continue;
      }
      if (!user_destinations.count(d) && !has_option(m.options, "ro")) m.options.emplace_back("ro");
    }
  }
  if (TRY(get_bool(hc, "Privileged", kWhere))) {
    for (oci::Mount& m : out.mounts) {
      if (m.destination == "/sys" || m.type == "cgroup") clear_read_only(m);
    }
  }
  return out;
}

}  // namespace berth::cspec
