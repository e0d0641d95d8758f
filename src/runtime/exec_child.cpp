#include "runtime/exec_child.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/sync_protocol.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"

namespace berth::runtime {

void run_exec_child(ExecPlan& plan) noexcept {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  int fd = plan.sync_fd;

  // The parent moves us into the container's cgroup first, so a cgroup namespace we join
  // shows us at its root.
  SyncHeader header{};
  char unused[1];
  if (sync_recv(fd, &header, unused, 0) < 0 || header.type != SyncType::kGo) ::_exit(1);

  if (sys::raw_setns(plan.init_pidfd, plan.setns_flags) != 0)
    child_fail(fd, errno, "join the container's namespaces");
  ::close(plan.init_pidfd);
  if (::chdir("/") != 0) child_fail(fd, errno, "chdir /");

  if (plan.process.terminal) {
    int ptmx = ::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (ptmx < 0) ptmx = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (ptmx < 0) child_fail(fd, errno, "open the container's /dev/ptmx");
    int unlock = 0;
    if (::ioctl(ptmx, TIOCSPTLCK, &unlock) != 0) child_fail(fd, errno, "unlock pty");
    unsigned int number = 0;
    if (::ioctl(ptmx, TIOCGPTN, &number) != 0) child_fail(fd, errno, "get pty number");
    int slave = ::ioctl(ptmx, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) child_fail(fd, errno, "open pty peer");
    if (plan.process.console_size) {
      struct winsize ws {};
      ws.ws_row = static_cast<unsigned short>(plan.process.console_size->height);
      ws.ws_col = static_cast<unsigned short>(plan.process.console_size->width);
      ::ioctl(slave, TIOCSWINSZ, &ws);
    }
    char name[32] = "/dev/pts/";
    sys::format_uint(number, name + 9);
    int rc = sys::send_fd_raw(plan.console_socket_fd, ptmx, name);
    if (rc < 0) child_fail(fd, -rc, "send pty master to the console socket");
    ::close(ptmx);
    ::close(plan.console_socket_fd);
    if (::setsid() < 0) child_fail(fd, errno, "setsid");
    if (::ioctl(slave, TIOCSCTTY, 0) != 0) child_fail(fd, errno, "set controlling terminal");
    for (int i = 0; i < 3; ++i) {
      if (::dup2(slave, i) < 0) child_fail(fd, errno, "dup2 console");
    }
    ::close(slave);
  }

  const char* what = nullptr;
  int rc = apply_credentials_and_security(plan.process, &what);
  if (rc < 0) child_fail(fd, -rc, what);
  char resolved[PATH_MAX];
  rc = lookup_executable(plan.process, resolved, sizeof resolved);
  if (rc == kNotFoundInPath) {
    char message[600] = "exec: \"";
    size_t len = std::strlen(message);
    const char* name = plan.process.argv.data()[0];
    while (*name && len < 500) message[len++] = *name++;
    const char kTail[] = "\": executable file not found in $PATH";
    std::memcpy(message + len, kTail, sizeof kTail);
    child_fail(fd, ENOENT, message);
  }
  if (rc < 0) child_fail(fd, -rc, "exec: cannot run", plan.process.argv.data()[0]);
  // A detached process outlives `exec`: the parent-death signal would survive execve.
  ::prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
  rc = exec_process(plan.process, resolved, &what);
  child_fail(fd, -rc, what, plan.process.argv.data()[0]);
}

}  // namespace berth::runtime
