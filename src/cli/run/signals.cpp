#include "cli/run/signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <thread>

#include "cli/run/terminal.h"

namespace berth::cli {
namespace {

std::mutex g_mu;
std::function<void(int)> g_proxy;
std::function<void()> g_winch;

sigset_t handled_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGALRM, SIGCONT,
                SIGTSTP, SIGTTIN, SIGTTOU, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSYS, SIGXCPU,
                SIGXFSZ}) {
    sigaddset(&set, s);
  }
  for (int s = SIGRTMIN; s <= SIGRTMAX; ++s) sigaddset(&set, s);
  return set;
}

void signal_loop(sigset_t set) {
  while (true) {
    int signo = 0;
    if (sigwait(&set, &signo) != 0) continue;
    std::function<void(int)> proxy;
    std::function<void()> winch;
    {
      std::lock_guard lock(g_mu);
      proxy = g_proxy;
      winch = g_winch;
    }
    if (signo == SIGWINCH) {
      if (winch) winch();
      continue;
    }
    if (proxy) {
      proxy(signo);
      continue;
    }
    if (signo == SIGINT || signo == SIGTERM || signo == SIGHUP || signo == SIGQUIT) {
      restore_all_terminals();
      _exit(128 + signo);
    }
    if (signo == SIGTSTP || signo == SIGTTIN || signo == SIGTTOU) {
      // Job control: stop as the default action would.
      restore_all_terminals();
      ::kill(::getpid(), SIGSTOP);
    }
  }
}

}  // namespace

void start_signal_thread() {
  sigset_t set = handled_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(signal_loop, set).detach();
}

void set_signal_proxy(std::function<void(int)> fn) {
  std::lock_guard lock(g_mu);
  g_proxy = std::move(fn);
}

void set_winch_handler(std::function<void()> fn) {
  std::lock_guard lock(g_mu);
  g_winch = std::move(fn);
}

const char* signal_name(int signo) {
  switch (signo) {
    case SIGABRT: return "ABRT";
    case SIGALRM: return "ALRM";
    case SIGBUS: return "BUS";
    case SIGCHLD: return "CHLD";
    case SIGCONT: return "CONT";
    case SIGFPE: return "FPE";
    case SIGHUP: return "HUP";
    case SIGILL: return "ILL";
    case SIGINT: return "INT";
    case SIGIO: return "IO";
    case SIGKILL: return "KILL";
    case SIGPIPE: return "PIPE";
    case SIGPROF: return "PROF";
    case SIGPWR: return "PWR";
    case SIGQUIT: return "QUIT";
    case SIGSEGV: return "SEGV";
    case SIGSTKFLT: return "STKFLT";
    case SIGSTOP: return "STOP";
    case SIGSYS: return "SYS";
    case SIGTERM: return "TERM";
    case SIGTRAP: return "TRAP";
    case SIGTSTP: return "TSTP";
    case SIGTTIN: return "TTIN";
    case SIGTTOU: return "TTOU";
    case SIGURG: return "URG";
    case SIGUSR1: return "USR1";
    case SIGUSR2: return "USR2";
    case SIGVTALRM: return "VTALRM";
    case SIGWINCH: return "WINCH";
    case SIGXCPU: return "XCPU";
    case SIGXFSZ: return "XFSZ";
    default: break;
  }
  static thread_local char buf[16];
  if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
    int off = signo - SIGRTMIN;
    if (off == 0) return "RTMIN";
    if (signo == SIGRTMAX) return "RTMAX";
    snprintf(buf, sizeof(buf), "RTMIN+%d", off);
    return buf;
  }
  return "";
}

}  // namespace berth::cli
