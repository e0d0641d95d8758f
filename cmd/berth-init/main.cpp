// berth-init: the tiny init `docker run --init` puts at pid 1 (Docker uses tini). It runs the
// command as its child, forwards every catchable signal to it, reaps every zombie (orphans
// inherited by pid 1 included), and exits with the child's status (128 + signal when killed).
// Statically linked and allocation-free: it is bind-mounted into images that may lack libc.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace {

void print(const char* s) { (void)!::write(2, s, std::strlen(s)); }

}  // namespace

int main(int argc, char** argv) {
  int first = 1;
  if (first < argc && std::strcmp(argv[first], "--") == 0) ++first;
  if (first >= argc) {
    print("usage: berth-init [--] command [args...]\n");
    return 2;
  }
  // When not pid 1 (a shared pid namespace), orphans still come to us.
  if (::getpid() != 1) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

  sigset_t all, old;
  sigfillset(&all);
  ::sigprocmask(SIG_BLOCK, &all, &old);

  pid_t child = ::fork();
  if (child < 0) {
    print("berth-init: fork failed\n");
    return 1;
  }
  if (child == 0) {
    // The command gets its own process group and the terminal, as under tini. Still with every
    // signal blocked: tcsetpgrp from a background group raises SIGTTOU, which would stop us.
    ::setpgid(0, 0);
    if (::isatty(0)) ::tcsetpgrp(0, ::getpid());
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    ::execvp(argv[first], argv + first);
    print("berth-init: exec ");
    print(argv[first]);
    print(": ");
    print(std::strerror(errno));
    print("\n");
    ::_exit(errno == ENOENT ? 127 : 126);
  }

  while (true) {
    siginfo_t info;
    int sig = ::sigwaitinfo(&all, &info);
    if (sig < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (sig != SIGCHLD) {
      // Terminal stop signals are meant for the foreground job, not for us.
      if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) continue;
      ::kill(child, sig);
      continue;
    }
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != child) continue;
      // Give remaining processes of the container the same end as the command.
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    }
  }
}
