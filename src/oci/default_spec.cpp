#include "oci/default_spec.h"

#include <unistd.h>

#include <algorithm>
#include <string_view>

namespace berth::oci {

namespace {

Process default_process() {
  Process process;
  process.terminal = true;
  process.args = {"sh"};
  process.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"};
  process.cwd = "/";
  process.no_new_privileges = true;
  // Just enough for a shell to be useful; anything more is the user's choice to add.
  std::vector<std::string> caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  process.capabilities = Capabilities{
      .bounding = caps, .effective = caps, .inheritable = {}, .permitted = caps, .ambient = {}};
  process.rlimits = {Rlimit{.type = "RLIMIT_NOFILE", .hard = 1024, .soft = 1024}};
  return process;
}

std::vector<Mount> default_mounts() {
  return {
      Mount{.destination = "/proc", .type = "proc", .source = "proc"},
      Mount{.destination = "/dev",
            .type = "tmpfs",
            .source = "tmpfs",
            .options = {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      Mount{.destination = "/dev/pts",
            .type = "devpts",
            .source = "devpts",
            .options = {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
      Mount{.destination = "/dev/shm",
            .type = "tmpfs",
            .source = "shm",
            .options = {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      Mount{.destination = "/dev/mqueue",
            .type = "mqueue",
            .source = "mqueue",
            .options = {"nosuid", "noexec", "nodev"}},
      Mount{.destination = "/sys",
            .type = "sysfs",
            .source = "sysfs",
            .options = {"nosuid", "noexec", "nodev", "ro"}},
      Mount{.destination = "/sys/fs/cgroup",
            .type = "cgroup",
            .source = "cgroup",
            .options = {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  };
}

Linux default_linux() {
  Linux linux_config;
  // Deny every device by default; the runtime allows its default devices on top.
  linux_config.resources = Resources{};
  linux_config.resources->devices = {DeviceCgroupRule{.allow = false, .access = "rwm"}};
  for (NamespaceType type : {NamespaceType::kPid, NamespaceType::kNetwork, NamespaceType::kIpc,
                             NamespaceType::kUts, NamespaceType::kMount, NamespaceType::kCgroup}) {
    linux_config.namespaces.push_back(Namespace{.type = type});
  }
  linux_config.masked_paths = {
      "/proc/acpi",          "/proc/asound",     "/proc/kcore",       "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
      "/sys/firmware",       "/proc/scsi",
  };
  linux_config.readonly_paths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                 "/proc/sysrq-trigger"};
  return linux_config;
}

bool is_id_option(std::string_view option) {
  return option.rfind("uid=", 0) == 0 || option.rfind("gid=", 0) == 0;
}

}  // namespace

Spec default_spec(bool rootless) {
  Spec spec;
  spec.oci_version = kRuntimeSpecVersion;
  spec.process = default_process();
  spec.root = Root{.path = "rootfs", .readonly = true};
  spec.hostname = "berth";
  spec.mounts = default_mounts();
  spec.linux = default_linux();
  if (rootless) make_rootless(&spec, ::geteuid(), ::getegid());
  return spec;
}

void make_rootless(Spec* spec, uint32_t uid, uint32_t gid) {
  if (!spec->linux) spec->linux = Linux{};
  Linux& linux_config = *spec->linux;

  auto& namespaces = linux_config.namespaces;
  std::erase_if(namespaces, [](const Namespace& ns) { return ns.type == NamespaceType::kNetwork; });
  if (find_namespace(*spec, NamespaceType::kUser) == nullptr) {
    namespaces.push_back(Namespace{.type = NamespaceType::kUser});
  }
  linux_config.uid_mappings = {IdMapping{.container_id = 0, .host_id = uid, .size = 1}};
  linux_config.gid_mappings = {IdMapping{.container_id = 0, .host_id = gid, .size = 1}};

  std::vector<Mount> mounts;
  for (Mount& mount : spec->mounts) {
    if (mount.destination == "/sys/fs/cgroup") continue;
    if (mount.destination == "/sys") {
      mounts.push_back(Mount{.destination = "/sys",
                             .type = "none",
                             .source = "/sys",
                             .options = {"rbind", "nosuid", "noexec", "nodev", "ro"}});
      continue;
    }
    std::erase_if(mount.options, is_id_option);
    mounts.push_back(std::move(mount));
  }
  spec->mounts = std::move(mounts);
  linux_config.resources.reset();
}

}  // namespace berth::oci
