#include "runtime/hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "sys/syscalls.h"

namespace berth::runtime {

HookCommand make_hook_command(const oci::Hook& hook) {
  HookCommand cmd;
  cmd.path = hook.path;
  std::vector<std::string> args = hook.args;
  if (args.empty()) args.push_back(hook.path);
  cmd.argv = CStringArray(std::move(args));
  cmd.envp = CStringArray(hook.env);
  cmd.timeout_seconds = hook.timeout.value_or(0);
  return cmd;
}

std::vector<HookCommand> make_hook_commands(const std::vector<oci::Hook>& hooks) {
  std::vector<HookCommand> out;
  out.reserve(hooks.size());
  for (const auto& h : hooks) out.push_back(make_hook_command(h));
  return out;
}

namespace {

// Writes the state to the hook's stdin. A hook that does not read it closes the pipe: block
// SIGPIPE around the write and swallow the pending signal, so no disposition is changed.
void write_state(int fd, const char* state, size_t len) noexcept {
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  ::sigprocmask(SIG_BLOCK, &pipe_set, &old_set);
  sys::write_all_raw(fd, state, len);
  struct timespec zero {};
  while (::sigtimedwait(&pipe_set, nullptr, &zero) > 0) {
  }
  ::sigprocmask(SIG_SETMASK, &old_set, nullptr);
}

}  // namespace

int run_hook_raw(const HookCommand& hook, const char* state, size_t state_len, int setns_pidfd,
                 int setns_flags, int* exit_status) noexcept {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return -errno;
  // A raw fork-like clone: usable both in the runtime and in the container's init child.
  long pid = ::syscall(SYS_clone, SIGCHLD, 0, nullptr, nullptr, 0);
  if (pid < 0) {
    int err = errno;
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    return -err;
  }
  if (pid == 0) {
    if (setns_pidfd >= 0 && sys::raw_setns(setns_pidfd, setns_flags) != 0) ::_exit(126);
    if (::dup2(pipefd[0], 0) < 0) ::_exit(126);
    ::execve(hook.path.c_str(), hook.argv.data(), hook.envp.data());
    ::_exit(127);
  }
  ::close(pipefd[0]);
  write_state(pipefd[1], state, state_len);
  ::close(pipefd[1]);

  int pidfd = sys::raw_pidfd_open(static_cast<pid_t>(pid), 0);
  bool timed_out = false;
  if (pidfd >= 0 && hook.timeout_seconds > 0) {
    struct pollfd pfd {};
    pfd.fd = pidfd;
    pfd.events = POLLIN;
    int rc;
    do {
      rc = ::poll(&pfd, 1, hook.timeout_seconds * 1000);
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) {
      timed_out = true;
      ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  int status = 0;
  while (::waitpid(static_cast<pid_t>(pid), &status, 0) < 0) {
    if (errno != EINTR) return -errno;
  }
  if (exit_status) *exit_status = status;
  if (timed_out) return kHookTimedOut;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return kHookFailed;
  return 0;
}

Status run_hooks(const std::vector<HookCommand>& hooks, const std::string& kind,
                 const std::string& state_json, int setns_pidfd, int setns_flags) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    int status = 0;
    int rc = run_hook_raw(hooks[i], state_json.data(), state_json.size(), setns_pidfd, setns_flags,
                          &status);
    if (rc == 0) continue;
    std::string what = fmt::format("{} hook #{} ({})", kind, i, hooks[i].path);
    if (rc == kHookTimedOut)
      return make_error(ErrorCode::kDeadlineExceeded, "{}: timed out after {}s", what,
                        hooks[i].timeout_seconds);
    if (rc == kHookFailed) {
      if (WIFSIGNALED(status))
        return make_error(ErrorCode::kFailedPrecondition, "{}: killed by signal {}", what,
                          WTERMSIG(status));
      int code = WEXITSTATUS(status);
      if (code == 127)
        return make_error(ErrorCode::kNotFound, "{}: could not execute the hook", what);
      return make_error(ErrorCode::kFailedPrecondition, "{}: exit status {}", what, code);
    }
    return errno_error(-rc, what);
  }
  return {};
}

}  // namespace berth::runtime
