#include "cspec/signal_names.h"

#include <csignal>
#include <string>
#include <utility>

#include "base/strings.h"

namespace berth::cspec {

std::optional<int> parse_signal(std::string_view text) {
  if (auto number = parse_int(text); number.ok()) {
    if (*number == 0) return std::nullopt;
    return *number;
  }
  std::string name = to_upper(text);
  if (name.starts_with("SIG")) name.erase(0, 3);
  static const std::pair<std::string_view, int> kSignals[] = {
      {"ABRT", SIGABRT}, {"ALRM", SIGALRM}, {"BUS", SIGBUS},       {"CHLD", SIGCHLD},
      {"CLD", SIGCHLD},  {"CONT", SIGCONT}, {"FPE", SIGFPE},       {"HUP", SIGHUP},
      {"ILL", SIGILL},   {"INT", SIGINT},   {"IO", SIGIO},         {"IOT", SIGIOT},
      {"KILL", SIGKILL}, {"PIPE", SIGPIPE}, {"POLL", SIGPOLL},     {"PROF", SIGPROF},
      {"PWR", SIGPWR},   {"QUIT", SIGQUIT}, {"SEGV", SIGSEGV},     {"STKFLT", SIGSTKFLT},
      {"STOP", SIGSTOP}, {"SYS", SIGSYS},   {"TERM", SIGTERM},     {"TRAP", SIGTRAP},
      {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
      {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"VTALRM", SIGVTALRM}, {"WINCH", SIGWINCH},
      {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
  };
  for (const auto& [known, number] : kSignals) {
    if (name == known) return number;
  }
  // The realtime signals, by Linux's numbers (glibc's SIGRTMIN is higher: it keeps two).
  constexpr int kRtMin = 34;
  constexpr int kRtMax = 64;
  if (name == "RTMIN") return kRtMin;
  if (name == "RTMAX") return kRtMax;
  for (int i = 1; i <= 15; ++i) {
    if (name == "RTMIN+" + std::to_string(i)) return kRtMin + i;
    if (name == "RTMAX-" + std::to_string(i)) return kRtMax - i;
  }
  return std::nullopt;
}

}  // namespace berth::cspec
