// `exec`: a new process inside a running container, a child of the caller.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/scope_exit.h"
#include "oci/runtime_spec_validate.h"
#include "runtime/exec_child.h"
#include "runtime/runtime.h"
#include "runtime/sync_protocol.h"
#include "sys/fd_passing.h"
#include "sys/process.h"
#include "sys/syscalls.h"

namespace berth::runtime {
namespace {

int namespace_flag(oci::NamespaceType type) {
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

}  // namespace

Result<pid_t> Runtime::exec(const ExecOptions& options) {
  ListEntry entry = TRY(lookup(options.id));
  if (entry.status == ContainerStatus::kStopped)
    return Error(ErrorCode::kFailedPrecondition, "cannot exec in a stopped container");
  if (entry.status == ContainerStatus::kPaused)
    return Error(ErrorCode::kFailedPrecondition, "cannot exec in a paused container");
  oci::Spec spec = TRY(store_.load_config(options.id));
  TRY(oci::validate_process(options.process, &spec));
  if (options.process.terminal && options.console_socket.empty() && options.console_socket_fd < 0)
    return Error(ErrorCode::kInvalidArgument, "a terminal needs a --console-socket");

  ExecPlan plan;
  std::optional<oci::Seccomp> seccomp;
  if (spec.linux) seccomp = spec.linux->seccomp;
  plan.process = TRY(make_process_plan(options.process, seccomp, options.preserve_fds));
  int ns_flags = 0;
  if (spec.linux) {
    for (const auto& ns : spec.linux->namespaces) ns_flags |= namespace_flag(ns.type);
  }

  UniqueFd pidfd = TRY(sys::pidfd_open(entry.state.init_pid));
  if (!sys::process_matches(entry.state.init_pid, entry.state.init_start_time))
    return Error(ErrorCode::kFailedPrecondition, "cannot exec in a stopped container");
  int min_fd = 3 + options.preserve_fds;
  UniqueFd init_pidfd(::fcntl(pidfd.get(), F_DUPFD_CLOEXEC, min_fd));
  plan.init_pidfd = init_pidfd.get();
  plan.setns_flags = ns_flags & ~CLONE_NEWPID;

  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return errno_error("socketpair");
  UniqueFd parent_sync(pair[0]);
  UniqueFd child_sync(::fcntl(pair[1], F_DUPFD_CLOEXEC, min_fd));
  ::close(pair[1]);
  plan.sync_fd = child_sync.get();

  UniqueFd console;
  if (options.process.terminal) {
    if (options.console_socket_fd >= 0) {
      console.reset(::fcntl(options.console_socket_fd, F_DUPFD_CLOEXEC, min_fd));
    } else {
      UniqueFd c = TRY_CTX(sys::connect_unix(options.console_socket), "console socket");
      console.reset(::fcntl(c.get(), F_DUPFD_CLOEXEC, min_fd));
    }
    if (!console) return errno_error("console socket");
    plan.console_socket_fd = console.get();
  }

  // Join the pid namespace for the clone only (setns(CLONE_NEWPID) affects children).
  UniqueFd own_pid_ns;
  if (ns_flags & CLONE_NEWPID) {
    own_pid_ns.reset(::open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC));
    if (!own_pid_ns) return errno_error("open /proc/self/ns/pid_for_children");
    if (sys::raw_setns(pidfd.get(), CLONE_NEWPID) != 0)
      return errno_error("join the container's pid namespace");
  }
  long clone_rc = ::syscall(SYS_clone, SIGCHLD, 0, nullptr, nullptr, 0);
  if (clone_rc == 0) {
    parent_sync.reset();
    run_exec_child(plan);
  }
  int clone_errno = errno;
  if (own_pid_ns) (void)sys::raw_setns(own_pid_ns.get(), CLONE_NEWPID);
  if (clone_rc < 0) return errno_error(clone_errno, "clone exec process");
  pid_t pid = static_cast<pid_t>(clone_rc);
  child_sync.reset();
  console.reset();
  auto kill_child = ScopeExit([&] {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  });

  auto manager = TRY(cgroup_manager(entry.state));
  TRY_CTX(manager->add_process(pid), "join the container's cgroup");
  if (options.process.oom_score_adj) {
    TRY(write_file("/proc/" + std::to_string(pid) + "/oom_score_adj",
                   std::to_string(*options.process.oom_score_adj)));
  }
  if (sync_send(parent_sync.get(), SyncType::kGo) < 0) return errno_error("sync with exec process");

  // The child reports an error, or execs: the sync socket is close-on-exec, so EOF means the
  // process is running the user's program.
  SyncHeader header{};
  std::string message(kMaxSyncPayload, '\0');
  int rc = sync_recv(parent_sync.get(), &header, message.data(), message.size());
  if (rc == 0 && header.type == SyncType::kError) {
    message.resize(std::min<size_t>(header.length, message.size()));
    return Error(header.errnum ? code_from_errno(header.errnum) : ErrorCode::kInternal, message,
                 header.errnum);
  }
  if (!options.pid_file.empty())
    TRY_CTX(write_file_atomic(options.pid_file, std::to_string(pid), 0644), "write pid file");
  kill_child.dismiss();
  return pid;
}

}  // namespace berth::runtime
