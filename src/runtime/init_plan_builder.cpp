#include "runtime/init_plan_builder.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>

#include "base/file_util.h"
#include "base/strings.h"
#include "runtime/idmapped_mount.h"
#include "sys/mount_options.h"
#include "sys/mountinfo.h"

namespace berth::runtime {
namespace {

int clone_flag(oci::NamespaceType type) {
  switch (type) {
    case oci::NamespaceType::kPid: return CLONE_NEWPID;
    case oci::NamespaceType::kNetwork: return CLONE_NEWNET;
    case oci::NamespaceType::kMount: return CLONE_NEWNS;
    case oci::NamespaceType::kIpc: return CLONE_NEWIPC;
    case oci::NamespaceType::kUts: return CLONE_NEWUTS;
    case oci::NamespaceType::kUser: return CLONE_NEWUSER;
    case oci::NamespaceType::kCgroup: return CLONE_NEWCGROUP;
    case oci::NamespaceType::kTime: return CLONE_NEWTIME;
  }
  return 0;
}

// setns order: the user namespace first (it grants the rights to join the rest), the mount
// namespace last (joining it changes the root and cwd).
int join_order(oci::NamespaceType type) {
  switch (type) {
    case oci::NamespaceType::kUser: return 0;
    case oci::NamespaceType::kMount: return 9;
    default: return 5;
  }
}

Status plan_namespaces(const oci::Spec& spec, PlannedInit& out) {
  InitPlan& plan = out.plan;
  int new_flags = 0;
  bool join_user = false;
  std::vector<std::pair<int, NamespaceJoin>> joins;
  if (spec.linux) {
    for (const auto& ns : spec.linux->namespaces) {
      int flag = clone_flag(ns.type);
      if (ns.path.empty()) {
        new_flags |= flag;
        continue;
      }
      UniqueFd fd(::open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd) {
        return errno_error(fmt::format("linux.namespaces: open {} namespace path {}",
                                       oci::namespace_type_name(ns.type), ns.path));
      }
      if (ns.type == oci::NamespaceType::kPid) {
        out.join_pid_ns = std::move(fd);
        continue;
      }
      if (ns.type == oci::NamespaceType::kUser) join_user = true;
      joins.emplace_back(join_order(ns.type), NamespaceJoin{flag, std::move(fd)});
    }
  }
  if (!(new_flags & CLONE_NEWNS)) {
    return Error(ErrorCode::kInvalidArgument,
                 "linux.namespaces: the container needs a new mount namespace");
  }
  std::stable_sort(joins.begin(), joins.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, join] : joins) plan.joins.push_back(std::move(join));

  plan.new_user_ns = (new_flags & CLONE_NEWUSER) != 0;
  plan.join_user_ns = join_user;
  plan.new_cgroup_ns = (new_flags & CLONE_NEWCGROUP) != 0;
  int creatable = new_flags & ~CLONE_NEWCGROUP;
  bool joins_others = !plan.joins.empty();
  if (join_user || (plan.new_user_ns && joins_others)) {
    // Namespaces must be created by (owned by) the right user namespace: join first, then
    // unshare. A new pid namespace then needs one more fork to get its pid 1.
    plan.unshare_flags = creatable & ~CLONE_NEWPID;
    if (creatable & CLONE_NEWPID) {
      plan.unshare_flags |= CLONE_NEWPID;
      plan.fork_for_pid_ns = true;
    }
  } else {
    plan.clone_flags = creatable;
  }
  return {};
}

Result<MountStep> plan_simple_mount(const oci::Mount& m, const sys::MountOptions& opts,
                                    const PlanContext& context, size_t index) {
  MountStep step;
  step.destination = clean_path(m.destination);
  step.propagation = opts.propagation;
  step.recursive_attr_set = opts.recursive_attr_set;
  step.recursive_attr_clr = opts.recursive_attr_clr;
  step.tmpcopyup = opts.tmpcopyup;
  if (opts.bind || m.type == "bind") {
    step.kind = MountStep::Kind::kBind;
    step.source =
        m.source.empty() || m.source[0] == '/' ? m.source : path_join(context.bundle, m.source);
    if (step.source.empty())
      return make_error(ErrorCode::kInvalidArgument, "mounts[{}].source: a bind mount needs one",
                        index);
    struct stat st {};
    if (::stat(step.source.c_str(), &st) != 0) {
      return errno_error(fmt::format("mounts[{}]: bind mount source {}", index, step.source));
    }
    step.dest_is_file = !S_ISDIR(st.st_mode);
    step.flags = MS_BIND | (opts.flags & MS_REC);
    step.remount_flags = sys::bind_remount_flags(opts);
    return step;
  }
  step.kind = MountStep::Kind::kMount;
  step.fstype = m.type;
  step.source = m.source.empty() ? m.type : m.source;
  step.flags = opts.flags;
  step.data = opts.data;
  if (step.fstype.empty())
    return make_error(ErrorCode::kInvalidArgument, "mounts[{}].type: required for {}", index,
                      m.destination);
  return step;
}

// A "cgroup" mount: on cgroup v2 (with a cgroup namespace) the kernel's cgroup2 filesystem;
// otherwise a tmpfs holding a bind of the container's own directory in every hierarchy, the way
// runc presents cgroups to containers on v1 hosts.
Status plan_cgroup_mount(const oci::Mount& m, const sys::MountOptions& opts,
                         const PlanContext& context, bool new_cgroup_ns,
                         std::vector<MountStep>& steps) {
  std::string dest = clean_path(m.destination);
  unsigned long ro = opts.flags & MS_RDONLY;
  unsigned long base_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  const cgroups::Layout* layout = context.cgroup_layout;
  if (layout == nullptr) return Error(ErrorCode::kInternal, "cgroup layout unknown");
  auto container_dir = [&](const std::string& mount_dir) {
    return clean_path(mount_dir + "/" + context.cgroup_path);
  };
  if (layout->mode == cgroups::Mode::kV2) {
    MountStep step;
    if (new_cgroup_ns) {
      step.kind = MountStep::Kind::kMount;
      step.source = "cgroup2";
      step.fstype = "cgroup2";
      step.flags = base_flags | ro;
    } else {
      step.kind = MountStep::Kind::kBind;
      step.source = container_dir(layout->unified);
      step.flags = MS_BIND | MS_REC;
      step.remount_flags = base_flags | ro;
    }
    step.destination = dest;
    steps.push_back(std::move(step));
    return {};
  }
  MountStep tmpfs;
  tmpfs.kind = MountStep::Kind::kMount;
  tmpfs.source = "tmpfs";
  tmpfs.fstype = "tmpfs";
  tmpfs.destination = dest;
  tmpfs.flags = base_flags;
  tmpfs.data = "mode=755";
  steps.push_back(tmpfs);
  for (const std::string& mount_dir : layout->v1_mount_dirs()) {
    std::string name = basename(mount_dir);
    MountStep bind;
    bind.kind = MountStep::Kind::kBind;
    bind.source = container_dir(mount_dir);
    bind.destination = dest + "/" + name;
    bind.flags = MS_BIND | MS_REC;
    bind.remount_flags = base_flags | ro;
    steps.push_back(bind);
    // A co-mounted hierarchy "cpu,cpuacct" is also reachable as "cpu" and "cpuacct".
    if (name.find(',') != std::string::npos) {
      for (const auto& alias : split(name, ',')) {
        MountStep link;
        link.kind = MountStep::Kind::kSymlink;
        link.source = name;
        link.destination = dest + "/" + alias;
        steps.push_back(link);
      }
    }
  }
  if (!layout->unified.empty()) {
    MountStep bind;
    bind.kind = MountStep::Kind::kBind;
    bind.source = container_dir(layout->unified);
    bind.destination = dest + "/unified";
    bind.flags = MS_BIND | MS_REC;
    bind.remount_flags = base_flags | ro;
    bind.skip_if_missing_source = true;
    steps.push_back(bind);
  }
  if (ro) {
    // Finally the tmpfs itself becomes read-only.
    MountStep remount;
    remount.kind = MountStep::Kind::kRemount;
    remount.destination = dest;
    remount.flags = base_flags | MS_RDONLY;
    steps.push_back(remount);
  }
  return {};
}

// An idmapped bind: its own mappings, else the container's (a new user namespace's mappings,
// or the joined one's path).
Status plan_idmap(const oci::Spec& spec, const oci::Mount& m, size_t index, MountStep& step) {
  if (step.kind != MountStep::Kind::kBind)
    return make_error(ErrorCode::kInvalidArgument,
                      "mounts[{}]: only bind mounts can be idmapped (type \"{}\")", index, m.type);
  step.kind = MountStep::Kind::kIdmappedBind;
  step.recursive_idmap = std::find(m.options.begin(), m.options.end(), "ridmap") != m.options.end();
  if (!m.uid_mappings.empty()) {
    step.uid_mappings = m.uid_mappings;
    step.gid_mappings = m.gid_mappings;
    return {};
  }
  if (spec.linux) {
    for (const auto& ns : spec.linux->namespaces) {
      if (ns.type != oci::NamespaceType::kUser) continue;
      if (!ns.path.empty()) {
        step.userns_path = ns.path;
        return {};
      }
      step.uid_mappings = spec.linux->uid_mappings;
      step.gid_mappings = spec.linux->gid_mappings;
      return {};
    }
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "mounts[{}]: an idmapped mount needs uidMappings/gidMappings or a user "
                    "namespace",
                    index);
}

Status plan_mounts(const oci::Spec& spec, const PlanContext& context, InitPlan& plan) {
  bool dev_is_bind = false;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const oci::Mount& m = spec.mounts[i];
    auto opts = sys::parse_mount_options(m.options);
    if (!opts.ok())
      return std::move(opts.error().with_context(fmt::format("mounts[{}].options", i)));
    std::string dest = clean_path(m.destination);
    if (m.type == "cgroup" || m.type == "cgroup2") {
      TRY(plan_cgroup_mount(m, *opts, context, plan.new_cgroup_ns, plan.mounts));
      continue;
    }
    MountStep step = TRY(plan_simple_mount(m, *opts, context, i));
    if (opts->idmap || !m.uid_mappings.empty() || !m.gid_mappings.empty())
      TRY(plan_idmap(spec, m, i, step));
    if (dest == "/dev" && step.kind != MountStep::Kind::kMount) dev_is_bind = true;
    plan.mounts.push_back(std::move(step));
  }
  plan.create_devices = !dev_is_bind;
  plan.dev_symlinks = true;
  struct stat st {};
  plan.has_kcore = ::stat("/proc/kcore", &st) == 0;
  return {};
}

Status plan_devices(const oci::Spec& spec, const PlanContext& context, InitPlan& plan) {
  if (!plan.create_devices) return {};
  std::vector<oci::Device> devices = default_devices();
  if (spec.linux) {
    for (const auto& dev : spec.linux->devices) {
      auto same = std::find_if(devices.begin(), devices.end(),
                               [&](const oci::Device& d) { return d.path == dev.path; });
      if (same != devices.end()) {
        *same = dev;
      } else {
        devices.push_back(dev);
      }
    }
  }
  plan.bind_devices = plan.new_user_ns && context.rootless;
  // In a user namespace created by root, mknod still fails (no CAP_MKNOD over the host).
  if (plan.new_user_ns || plan.join_user_ns) plan.bind_devices = true;
  for (const auto& dev : devices) {
    DeviceNode node;
    node.path = clean_path(dev.path);
    mode_t type = 0;
    if (dev.type == "c" || dev.type == "u")
      type = S_IFCHR;
    else if (dev.type == "b")
      type = S_IFBLK;
    else if (dev.type == "p")
      type = S_IFIFO;
    else
      return make_error(ErrorCode::kInvalidArgument, "linux.devices: bad type {}", dev.type);
    node.mode = type | (dev.file_mode.value_or(0666) & 07777);
    node.rdev = makedev(static_cast<unsigned>(dev.major), static_cast<unsigned>(dev.minor));
    node.uid = dev.uid.value_or(0);
    node.gid = dev.gid.value_or(0);
    plan.devices.push_back(std::move(node));
  }
  return {};
}

}  // namespace

std::vector<oci::Device> default_devices() {
  auto dev = [](const char* path, int64_t major, int64_t minor) {
    oci::Device d;
    d.type = "c";
    d.path = path;
    d.major = major;
    d.minor = minor;
    d.file_mode = 0666;
    d.uid = 0;
    d.gid = 0;
    return d;
  };
  return {dev("/dev/null", 1, 3),   dev("/dev/zero", 1, 5),    dev("/dev/full", 1, 7),
          dev("/dev/random", 1, 8), dev("/dev/urandom", 1, 9), dev("/dev/tty", 5, 0)};
}

std::vector<oci::DeviceCgroupRule> default_device_cgroup_rules() {
  auto rule = [](const char* type, std::optional<int64_t> major, std::optional<int64_t> minor,
                 const char* access) {
    oci::DeviceCgroupRule r;
    r.allow = true;
    r.type = type;
    r.major = major;
    r.minor = minor;
    r.access = access;
    return r;
  };
  return {
      rule("c", std::nullopt, std::nullopt, "m"),  // mknod of any char device
      rule("b", std::nullopt, std::nullopt, "m"),  // mknod of any block device
      rule("c", 1, 3, "rwm"),                      // /dev/null
      rule("c", 1, 8, "rwm"),                      // /dev/random
      rule("c", 1, 7, "rwm"),                      // /dev/full
      rule("c", 5, 0, "rwm"),                      // /dev/tty
      rule("c", 1, 5, "rwm"),                      // /dev/zero
      rule("c", 1, 9, "rwm"),                      // /dev/urandom
      rule("c", 5, 1, "rwm"),                      // /dev/console
      rule("c", 136, std::nullopt, "rwm"),         // /dev/pts/*
      rule("c", 5, 2, "rwm"),                      // /dev/ptmx
  };
}

std::string sysctl_path(const std::string& name) {
  std::string path = "/proc/sys/";
  for (char c : name) path.push_back(c == '.' ? '/' : c);
  return path;
}

Result<PlannedInit> build_init_plan(const oci::Spec& spec, const PlanContext& context) {
  PlannedInit out;
  InitPlan& plan = out.plan;
  TRY(plan_namespaces(spec, out));

  plan.rootfs = context.rootfs;
  plan.no_pivot = context.no_pivot;
  plan.readonly_root = spec.root && spec.root->readonly;
  plan.root_propagation = MS_SLAVE | MS_REC;
  if (spec.linux && !spec.linux->rootfs_propagation.empty()) {
    unsigned long prop = sys::propagation_from_name(spec.linux->rootfs_propagation);
    if (prop == 0)
      return make_error(ErrorCode::kInvalidArgument, "linux.rootfsPropagation: unknown \"{}\"",
                        spec.linux->rootfs_propagation);
    // As runc: "/" gets the requested mode (a shared one keeps container binds of shared host
    // mounts in their peer groups, so mounts propagate both ways), and it is applied again to
    // the new root after pivot_root.
    plan.final_propagation = prop;
    if (prop & MS_SHARED) {
      plan.root_propagation = prop;
      plan.private_mount = TRY_CTX(sys::containing_mount_point(context.rootfs),
                                   "find the mount holding the rootfs");
    } else {
      plan.root_propagation = prop | MS_REC;
    }
  }

  TRY(plan_mounts(spec, context, plan));
  TRY(plan_devices(spec, context, plan));

  if (spec.linux) {
    plan.masked_paths = spec.linux->masked_paths;
    plan.readonly_paths = spec.linux->readonly_paths;
    for (const auto& [name, value] : spec.linux->sysctl) {
      plan.sysctls.push_back({sysctl_path(name), value});
    }
  }
  if (!spec.hostname.empty()) {
    plan.set_hostname = true;
    plan.hostname = spec.hostname;
  }
  if (!spec.domainname.empty()) {
    plan.set_domainname = true;
    plan.domainname = spec.domainname;
  }
  plan.new_session_keyring = !context.no_new_keyring;
  plan.keyring_name = context.container_id;

  if (!spec.process) return Error(ErrorCode::kInvalidArgument, "process: required");
  std::optional<oci::Seccomp> seccomp;
  if (spec.linux) seccomp = spec.linux->seccomp;
  plan.process = TRY(make_process_plan(*spec.process, seccomp, context.preserve_fds));
  if (plan.new_user_ns && context.rootless) plan.process.set_groups = false;

  if (spec.hooks) {
    plan.wait_for_hooks = !spec.hooks->prestart.empty() || !spec.hooks->create_runtime.empty() ||
                          !spec.hooks->create_container.empty();
    plan.start_container_hooks = make_hook_commands(spec.hooks->start_container);
    if (!plan.start_container_hooks.empty()) plan.state_buffer.resize(64 * 1024);
  }
  out.default_device_rules = default_device_cgroup_rules();
  return out;
}

Status prepare_idmapped_mounts(PlannedInit& planned, int min_fd) {
  for (auto& step : planned.plan.mounts) {
    if (step.kind != MountStep::Kind::kIdmappedBind) continue;
    UniqueFd userns;
    if (!step.userns_path.empty()) {
      userns.reset(::open(step.userns_path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!userns) return errno_error("open user namespace " + step.userns_path);
    } else {
      userns = TRY_CTX(make_user_namespace(step.uid_mappings, step.gid_mappings),
                       "idmapped mount " + step.destination);
    }
    UniqueFd tree = TRY_CTX(open_idmapped_tree(step.source, (step.flags & MS_REC) != 0,
                                               step.recursive_idmap, userns.get()),
                            "idmapped mount " + step.destination);
    if (tree.get() < min_fd) {
      tree.reset(::fcntl(tree.get(), F_DUPFD_CLOEXEC, min_fd));
      if (!tree) return errno_error("dup idmapped mount fd");
    }
    step.tree_fd = tree.get();
    planned.idmapped_trees.push_back(std::move(tree));
  }
  return {};
}

}  // namespace berth::runtime
