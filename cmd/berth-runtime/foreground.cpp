#include "foreground.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace berth::runtime_cli {
namespace {

sigset_t forwarded_set() {
  sigset_t set;
  sigfillset(&set);
  // Signals that describe our own faults stay synchronous.
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGKILL, SIGSTOP, SIGTTIN, SIGTTOU,
                  SIGTSTP, SIGPIPE}) {
    sigdelset(&set, sig);
  }
  return set;
}

// Copies what is readable on `from` to `to`; false on EOF or error.
bool pump(int from, int to) {
  char buf[16384];
  ssize_t n = ::read(from, buf, sizeof buf);
  if (n <= 0) return n < 0 && (errno == EINTR || errno == EAGAIN);
  const char* p = buf;
  while (n > 0) {
    ssize_t w = ::write(to, p, static_cast<size_t>(n));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= w;
  }
  return true;
}

class RawTerminal {
 public:
  RawTerminal() {
    if (::isatty(0) && ::tcgetattr(0, &saved_) == 0) {
      struct termios raw = saved_;
      ::cfmakeraw(&raw);
      raw.c_oflag |= OPOST;  // keep \n -> \r\n on our side as a terminal user expects
      active_ = ::tcsetattr(0, TCSANOW, &raw) == 0;
    }
  }
  ~RawTerminal() {
    if (active_) ::tcsetattr(0, TCSANOW, &saved_);
  }

 private:
  struct termios saved_ {};
  bool active_ = false;
};

void copy_window_size(int pty_master) {
  struct winsize ws {};
  if (::ioctl(0, TIOCGWINSZ, &ws) == 0) ::ioctl(pty_master, TIOCSWINSZ, &ws);
}

}  // namespace

void block_forwarded_signals() {
  sigset_t set = forwarded_set();
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
}

int supervise(pid_t pid, int pty_master) {
  sigset_t set = forwarded_set();
  int sfd = ::signalfd(-1, &set, SFD_CLOEXEC);
  std::optional<RawTerminal> raw;
  if (pty_master >= 0) {
    raw.emplace();
    copy_window_size(pty_master);
  }
  bool stdin_open = pty_master >= 0;
  bool pty_open = pty_master >= 0;
  int exit_code = -1;
  while (exit_code < 0) {
    struct pollfd fds[3] = {{sfd, POLLIN, 0},
                            {stdin_open ? 0 : -1, POLLIN, 0},
                            {pty_open ? pty_master : -1, POLLIN, 0}};
    int rc = ::poll(fds, 3, -1);
    if (rc < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents & (POLLIN | POLLHUP)) stdin_open = pump(0, pty_master);
    if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) pty_open = pump(pty_master, 1);
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo info {};
      if (::read(sfd, &info, sizeof info) != sizeof info) continue;
      int sig = static_cast<int>(info.ssi_signo);
      if (sig == SIGCHLD) {
        // Reap every child: as a subreaper we also inherit the container's orphans.
        int status = 0;
        pid_t done;
        while ((done = ::waitpid(-1, &status, WNOHANG)) > 0) {
          if (done == pid) {
            exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
          }
        }
      } else if (sig == SIGWINCH && pty_master >= 0) {
        copy_window_size(pty_master);
      } else {
        ::kill(pid, sig);
      }
    }
  }
  // Drain what the process wrote before it exited.
  if (pty_open) {
    struct pollfd pfd {
      pty_master, POLLIN, 0
    };
    while (::poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) && pump(pty_master, 1)) {
    }
  }
  ::close(sfd);
  return exit_code < 0 ? 1 : exit_code;
}

}  // namespace berth::runtime_cli
