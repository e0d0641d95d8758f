// The container init's whole job, decided in the parent before clone: which namespaces to make
// or join, every mount with its flags already parsed, devices, sysctls, masked paths, and the
// process plan. The child (init_child.cpp) executes it without allocating.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "oci/runtime_spec.h"
#include "runtime/hooks.h"
#include "runtime/process_plan.h"

namespace berth::runtime {

struct MountStep {
  enum class Kind {
    kMount,         // mount(source, dest, fstype, flags, data)
    kBind,          // bind source (a host path) onto dest, then remount with remount_flags
    kSymlink,       // create dest as a symlink to source (used for cgroup v1 co-mount aliases)
    kRemount,       // remount the filesystem at dest with `flags` (MS_REMOUNT is implied)
    kIdmappedBind,  // move the detached idmapped tree `tree_fd` onto dest, then as kBind
  };
  Kind kind = Kind::kMount;
  std::string source;
  std::string destination;  // inside the rootfs, absolute
  std::string fstype;
  std::string data;
  unsigned long flags = 0;
  unsigned long remount_flags = 0;  // binds: MS_RDONLY/MS_NOSUID/... need a bind remount
  unsigned long propagation = 0;
  uint64_t recursive_attr_set = 0;
  uint64_t recursive_attr_clr = 0;
  bool dest_is_file = false;  // bind of a non-directory: the target is created as a file
  bool tmpcopyup = false;
  bool skip_if_missing_source = false;

  // kIdmappedBind: the mappings of the mount's user namespace (the container's when the mount
  // gives none), or the path of an existing user namespace; the parent fills tree_fd.
  std::vector<oci::IdMapping> uid_mappings;
  std::vector<oci::IdMapping> gid_mappings;
  std::string userns_path;
  bool recursive_idmap = false;
  int tree_fd = -1;
};

struct DeviceNode {
  std::string path;  // absolute, inside the rootfs
  mode_t mode = 0;   // file type bits | permissions
  dev_t rdev = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

struct SysctlWrite {
  std::string path;  // /proc/sys/...
  std::string value;
};

struct NamespaceJoin {
  int type = 0;  // CLONE_NEW*
  UniqueFd fd;
};

struct InitPlan {
  // Namespaces.
  int clone_flags = 0;    // created by clone(2) itself
  int unshare_flags = 0;  // created by unshare(2) in the child (after joining a user namespace)
  bool new_user_ns = false;
  bool join_user_ns = false;     // setns into an existing user namespace (linux.namespaces path)
  bool new_cgroup_ns = false;    // unshared after the parent moved the child into its cgroup
  bool fork_for_pid_ns = false;  // an extra fork makes the grandchild pid 1 (joined userns)
  std::vector<NamespaceJoin> joins;  // setns'd by the child, in order

  // Root filesystem.
  std::string rootfs;
  bool no_pivot = false;
  unsigned long root_propagation = 0;   // applied to "/" before anything is mounted
  unsigned long final_propagation = 0;  // rootfsPropagation, re-applied after pivot_root
  // With a shared "/", the mount holding the rootfs, made private before the rootfs is bound
  // onto itself: the bind must not propagate to the host, and pivot_root refuses a shared parent.
  std::string private_mount;
  bool readonly_root = false;
  std::vector<MountStep> mounts;
  bool create_devices = false;  // /dev is a fresh tmpfs: make the default and listed nodes
  bool bind_devices = false;    // in a user namespace mknod is denied: bind host nodes
  std::vector<DeviceNode> devices;
  bool dev_symlinks = false;  // /dev/fd, /dev/stdin, ..., /dev/ptmx
  bool has_kcore = false;     // /dev/core -> /proc/kcore
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::vector<SysctlWrite> sysctls;
  bool set_hostname = false;
  std::string hostname;
  bool set_domainname = false;
  std::string domainname;
  bool new_session_keyring = true;
  std::string keyring_name;

  ProcessPlan process;

  // Hooks: createRuntime/createContainer run by the parent when the child reports kHooks;
  // startContainer run by the child after `start`, with the state JSON the parent sends.
  bool wait_for_hooks = false;
  std::vector<HookCommand> start_container_hooks;
  std::vector<char> state_buffer;  // filled by kStateJson before kGo

  // File descriptors inherited across the clone (all O_CLOEXEC).
  int sync_fd = -1;
  int fifo_fd = -1;            // O_PATH to exec.fifo; -1 for `run` without the fifo handshake
  int console_socket_fd = -1;  // where the pty master goes when process.terminal
  int stdio_fds[3] = {0, 1, 2};
};

// Runs in the cloned child. Never returns: execs the container process or exits after
// reporting the failure on plan.sync_fd.
[[noreturn]] void run_init(InitPlan& plan) noexcept;

}  // namespace berth::runtime
