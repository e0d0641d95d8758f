// `create`: everything up to the init waiting on exec.fifo. The parent side of the handshake
// described in docs/architecture.md; every step registers its undo, so a failure at any point
// leaves no cgroup, mount, state directory or process behind.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/file_util.h"
#include "base/log.h"
#include "base/scope_exit.h"
#include "base/time_format.h"
#include "cgroups/cgroup_path.h"
#include "oci/runtime_spec_json.h"
#include "oci/runtime_spec_validate.h"
#include "runtime/init_plan_builder.h"
#include "runtime/runtime.h"
#include "runtime/sync_protocol.h"
#include "sys/fd_passing.h"
#include "sys/process.h"
#include "sys/syscalls.h"

namespace berth::runtime {
namespace {

// Receives one message from the child; a kError message or a closed socket becomes an Error.
Result<SyncHeader> expect_message(int sync_fd, SyncType expected, std::string* payload = nullptr) {
  SyncHeader header{};
  std::string buffer(kMaxSyncPayload, '\0');
  int rc = sync_recv(sync_fd, &header, buffer.data(), buffer.size());
  if (rc < 0) {
    return Error(ErrorCode::kInternal, "container init exited before it was set up");
  }
  buffer.resize(std::min<size_t>(header.length, buffer.size()));
  if (header.type == SyncType::kError) {
    return Error(header.errnum != 0 ? code_from_errno(header.errnum) : ErrorCode::kInternal, buffer,
                 header.errnum);
  }
  if (header.type != expected) {
    return make_error(ErrorCode::kInternal, "unexpected message {} from container init",
                      static_cast<uint32_t>(header.type));
  }
  if (payload) *payload = std::move(buffer);
  return header;
}

Status send_go(int sync_fd) {
  int rc = sync_send(sync_fd, SyncType::kGo);
  if (rc < 0) return errno_error(-rc, "sync with container init");
  return {};
}

std::string format_id_map(const std::vector<oci::IdMapping>& mappings) {
  std::string out;
  for (const auto& m : mappings) {
    out += fmt::format("{} {} {}\n", m.container_id, m.host_id, m.size);
  }
  return out;
}

Status write_id_maps(pid_t pid, const oci::Spec& spec, bool rootless) {
  const auto& linux = *spec.linux;
  std::string proc = "/proc/" + std::to_string(pid);
  if (rootless) {
    // An unprivileged writer of gid_map must first give up setgroups(2).
    TRY(write_file(proc + "/setgroups", "deny"));
  }
  TRY_CTX(write_file(proc + "/uid_map", format_id_map(linux.uid_mappings)), "write uid_map");
  TRY_CTX(write_file(proc + "/gid_map", format_id_map(linux.gid_mappings)), "write gid_map");
  return {};
}

// `pid` is the init's pid as the hook sees it: hooks run in the container (startContainer) get
// the pid in the container's pid namespace, as runtime.md asks.
std::string hook_state_json(const ContainerState& state, const char* status, pid_t pid) {
  OrderedJson j;
  j["ociVersion"] = oci::kRuntimeSpecVersion;
  j["id"] = state.id;
  j["status"] = status;
  j["pid"] = pid;
  j["bundle"] = state.bundle;
  if (!state.annotations.empty()) j["annotations"] = state.annotations;
  return j.dump();
}

// Moves internal fds above the ones the container is to inherit (3 .. 3+preserve_fds-1).
Status lift_fd(UniqueFd& fd, int preserve_fds) {
  if (!fd || fd.get() >= 3 + preserve_fds) return {};
  int lifted = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3 + preserve_fds);
  if (lifted < 0) return errno_error("dup fd");
  fd.reset(lifted);
  return {};
}

}  // namespace

Result<pid_t> Runtime::create(const CreateOptions& options) {
  TRY(validate_container_id(options.id));
  std::string bundle = options.bundle.empty() ? "." : options.bundle;
  if (bundle[0] != '/') {
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) == nullptr) return errno_error("getcwd");
    bundle = clean_path(std::string(cwd) + "/" + bundle);
  }
  oci::Spec spec = TRY(oci::load_spec(bundle));
  TRY(oci::validate_spec(spec));
  if (spec.process->terminal && options.console_socket.empty() && options.console_socket_fd < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "process.terminal is true: a --console-socket is required to detach a terminal");
  }
  if (!spec.process->terminal && (!options.console_socket.empty()))
    return Error(ErrorCode::kInvalidArgument,
                 "--console-socket given but process.terminal is false");
  std::string rootfs =
      spec.root->path[0] == '/' ? spec.root->path : clean_path(bundle + "/" + spec.root->path);
  struct stat root_st {};
  if (::stat(rootfs.c_str(), &root_st) != 0 || !S_ISDIR(root_st.st_mode))
    return make_error(ErrorCode::kInvalidArgument, "root.path: {} is not a directory", rootfs);

  // The state directory claims the id; everything after it is undone on failure.
  TRY(store_.create_dir(options.id));
  auto remove_dir = ScopeExit([&] { (void)store_.remove(options.id); });
  auto lock = TRY(store_.lock(options.id));

  const cgroups::Layout* layout_ptr = TRY(layout());
  std::string cgroup_path = TRY(cgroups::resolve_cgroup_path(
      spec.linux ? spec.linux->cgroups_path : std::string(), options.id));
  auto cgroup = TRY(cgroups::make_manager(*layout_ptr, cgroup_path));
  TRY_CTX(cgroup->create(), "create cgroup " + cgroup_path);
  auto remove_cgroup = ScopeExit([&] {
    (void)cgroup->signal_all(SIGKILL);
    (void)cgroup->destroy();
  });

  PlanContext context;
  context.container_id = options.id;
  context.bundle = bundle;
  context.rootfs = rootfs;
  context.no_pivot = options.no_pivot;
  context.no_new_keyring = options.no_new_keyring;
  context.preserve_fds = options.preserve_fds;
  context.cgroup_layout = layout_ptr;
  context.cgroup_path = cgroup_path;
  context.rootless = ::geteuid() != 0;
  log::debug("create {}: rootfs {}, cgroup {}", options.id, rootfs, cgroup_path);
  PlannedInit planned = TRY(build_init_plan(spec, context));
  TRY(prepare_idmapped_mounts(planned, 3 + options.preserve_fds));
  InitPlan& plan = planned.plan;

  oci::Resources resources =
      spec.linux && spec.linux->resources ? *spec.linux->resources : oci::Resources{};
  resources.devices.insert(resources.devices.end(), planned.default_device_rules.begin(),
                           planned.default_device_rules.end());
  TRY_CTX(cgroup->apply(resources), "apply cgroup resources");

  // exec.fifo: the init blocks opening it for writing until `start` opens it for reading.
  std::string fifo = store_.fifo_path(options.id);
  if (::mkfifo(fifo.c_str(), 0622) != 0) return errno_error("mkfifo " + fifo);
  // The umask trimmed the mode; the init may write it after switching to a non-root user.
  if (::chmod(fifo.c_str(), 0622) != 0) return errno_error("chmod " + fifo);
  UniqueFd fifo_fd(::open(fifo.c_str(), O_PATH | O_CLOEXEC));
  if (!fifo_fd) return errno_error("open " + fifo);
  TRY(lift_fd(fifo_fd, options.preserve_fds));
  plan.fifo_fd = fifo_fd.get();

  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return errno_error("socketpair");
  UniqueFd parent_sync(pair[0]);
  UniqueFd child_sync(pair[1]);
  TRY(lift_fd(child_sync, options.preserve_fds));
  plan.sync_fd = child_sync.get();

  UniqueFd console;
  if (spec.process->terminal) {
    if (options.console_socket_fd >= 0) {
      console.reset(::fcntl(options.console_socket_fd, F_DUPFD_CLOEXEC, 3 + options.preserve_fds));
      if (!console) return errno_error("dup console socket");
    } else {
      console = TRY_CTX(sys::connect_unix(options.console_socket), "console socket");
      TRY(lift_fd(console, options.preserve_fds));
    }
    plan.console_socket_fd = console.get();
  }

  ContainerState state;
  state.id = options.id;
  state.bundle = bundle;
  state.rootfs = rootfs;
  state.created_ns = unix_nanos_now();
  state.cgroup_path = cgroup_path;
  state.annotations = spec.annotations;
  state.owner = "";
  state.has_init_pid_ns = (plan.clone_flags | plan.unshare_flags) & CLONE_NEWPID;

  // A pid namespace to join applies to our children: enter it just for the clone.
  UniqueFd own_pid_ns;
  if (planned.join_pid_ns) {
    own_pid_ns.reset(::open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC));
    if (!own_pid_ns) return errno_error("open /proc/self/ns/pid_for_children");
    if (sys::raw_setns(planned.join_pid_ns.get(), CLONE_NEWPID) != 0)
      return errno_error("join pid namespace");
  }
  long clone_rc = ::syscall(SYS_clone, plan.clone_flags | SIGCHLD, 0, nullptr, nullptr, 0);
  if (clone_rc == 0) {
    parent_sync.reset();
    run_init(plan);
  }
  int clone_errno = errno;
  if (own_pid_ns && sys::raw_setns(own_pid_ns.get(), CLONE_NEWPID) != 0)
    log::warn("could not return to the runtime's pid namespace: {}", std::strerror(errno));
  if (clone_rc < 0) return errno_error(clone_errno, "clone container init");
  pid_t pid = static_cast<pid_t>(clone_rc);
  child_sync.reset();
  console.reset();
  auto kill_child = ScopeExit([&] {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  });

  if (plan.unshare_flags & CLONE_NEWUSER) {
    TRY(expect_message(parent_sync.get(), SyncType::kUserNsReady));
    TRY(write_id_maps(pid, spec, context.rootless));
    TRY(send_go(parent_sync.get()));
  }
  if (plan.fork_for_pid_ns) {
    SyncHeader header = TRY(expect_message(parent_sync.get(), SyncType::kPid));
    ::waitpid(pid, nullptr, 0);  // the intermediate process has exited
    pid = header.errnum;
  }
  if (plan.clone_flags & CLONE_NEWUSER) TRY(write_id_maps(pid, spec, context.rootless));
  TRY_CTX(cgroup->add_process(pid), "join cgroup");
  if (spec.process->oom_score_adj) {
    TRY(write_file("/proc/" + std::to_string(pid) + "/oom_score_adj",
                   std::to_string(*spec.process->oom_score_adj)));
  }
  state.init_pid = pid;
  state.init_start_time = TRY(sys::process_start_time(pid));
  if (!plan.start_container_hooks.empty()) {
    pid_t inner_pid = TRY(sys::pid_in_own_namespace(pid));
    std::string json = hook_state_json(state, "created", inner_pid);
    sync_send(parent_sync.get(), SyncType::kStateJson, 0, json.data(),
              static_cast<uint32_t>(json.size()));
  }
  TRY(send_go(parent_sync.get()));

  if (plan.wait_for_hooks) {
    TRY(expect_message(parent_sync.get(), SyncType::kHooks));
    std::string json = hook_state_json(state, "creating", pid);
    TRY(run_hooks(make_hook_commands(spec.hooks->prestart), "prestart", json));
    TRY(run_hooks(make_hook_commands(spec.hooks->create_runtime), "createRuntime", json));
    if (!spec.hooks->create_container.empty()) {
      UniqueFd pidfd = TRY(sys::pidfd_open(pid));
      int flags = CLONE_NEWNS | ((plan.clone_flags | plan.unshare_flags) &
                                 (CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET));
      TRY(run_hooks(make_hook_commands(spec.hooks->create_container), "createContainer", json,
                    pidfd.get(), flags));
    }
    TRY(send_go(parent_sync.get()));
  }
  auto ready = expect_message(parent_sync.get(), SyncType::kReady);
  if (!ready.ok()) return std::move(ready).error();

  TRY(store_.save_config(options.id, spec));
  TRY(store_.save(state));
  if (!options.pid_file.empty()) {
    TRY_CTX(write_file_atomic(options.pid_file, std::to_string(pid), 0644), "write pid file");
  }
  log::debug("create {}: init {} waits for start", options.id, pid);
  kill_child.dismiss();
  remove_cgroup.dismiss();
  remove_dir.dismiss();
  return pid;
}

}  // namespace berth::runtime
