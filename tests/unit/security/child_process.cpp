#include "child_process.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace berth::security::testing {

void Reporter::add_syscall(long rc) {
  add(rc < 0 ? -errno : rc);
}

bool ChildOutcome::exited_ok() const {
  return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

bool ChildOutcome::killed_by(int signal) const {
  return WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == signal;
}

ChildOutcome run_in_child(int (*body)(Reporter& report, const void* arg), const void* arg) {
  ChildOutcome outcome;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    outcome.wait_status = -1;
    return outcome;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    Reporter report;
    int code = body(report, arg);
    // Written even when the body failed part-way, so the parent sees how far it got.
    (void)!write(fds[1], report.data(), report.count() * sizeof(int64_t));
    // exit_group directly: the sanitizers' _exit hook tears down its thread state with system
    // calls (sigaltstack, munmap) that a strict filter under test would deny.
    syscall(SYS_exit_group, code);
    __builtin_unreachable();
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    outcome.wait_status = -1;
    return outcome;
  }
  int64_t value = 0;
  size_t have = 0;
  char* raw = reinterpret_cast<char*>(&value);
  for (;;) {
    ssize_t n = read(fds[0], raw + have, sizeof(value) - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<size_t>(n);
    if (have == sizeof(value)) {
      outcome.values.push_back(value);
      have = 0;
    }
  }
  close(fds[0]);
  while (waitpid(pid, &outcome.wait_status, 0) < 0 && errno == EINTR) {
  }
  return outcome;
}

}  // namespace berth::security::testing
