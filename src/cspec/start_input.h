// Everything the daemon knows when it starts a container, as build_oci_spec takes it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "cspec/host_info.h"

namespace berth::cspec {

// A mount the daemon has resolved: a bind of a host path, a volume's directory, or a tmpfs.
struct MountPoint {
  std::string type = "bind";  // "bind", "volume" (mounted as a bind of `source`) or "tmpfs"
  std::string source;         // host path; unused for tmpfs
  std::string destination;    // absolute path in the container
  bool rw = true;
  // "", "private", "rprivate", "shared", "rshared", "slave", "rslave". -v and --mount binds
  // default to "rprivate" (MountRequest::propagation); volumes have none.
  std::string propagation;
  bool non_recursive = false;              // "bind" instead of "rbind"
  bool read_only_non_recursive = false;    // plain "ro" even where "rro" is possible
  bool read_only_force_recursive = false;  // "rro" or fail
  std::string tmpfs_data;                  // tmpfs: "size=64m,mode=1777" (MountRequest)
};

struct StartInput {
  std::string id;      // the full container id
  std::string name;    // without the leading '/'
  Json config;         // the merged Config (merge_image_config)
  Json host_config;    // the stored HostConfig (adapt_host_config)
  std::string rootfs;  // the mounted rootfs: root.path, and where /etc/passwd is read
  // Files the daemon writes for the container, bind-mounted over /etc/...; empty: not mounted.
  std::string hostname_path;
  std::string hosts_path;
  std::string resolv_conf_path;
  // The host side of /dev/shm for IpcMode shareable, container:<x> (that container's) or host
  // ("/dev/shm"); ignored for private (a tmpfs of ShmSize) and none (no /dev/shm).
  std::string shm_path;
  std::string init_path;  // the init binary for --init, bind-mounted at /sbin/docker-init
  // cgroupsPath; empty: <CgroupParent or the daemon's cgroup-parent>/<id>.
  std::string cgroups_path;
  // The network namespace the daemon prepared (a bind-mounted nsfs file); empty: a new one.
  std::string netns_path;
  // For container:<x> modes: "network", "ipc", "pid" -> "/proc/<pid>/ns/<type>" of that container.
  std::map<std::string, std::string> namespace_paths;
  std::vector<MountPoint> mounts;  // from Binds, Mounts and the image's volumes
  HostInfo host;
};

}  // namespace berth::cspec
