#include "runtime/signals.h"

#include <csignal>

#include "base/strings.h"

namespace berth::runtime {
namespace {

struct SignalEntry {
  std::string_view name;  // without "SIG"
  int number;
};

constexpr SignalEntry kSignals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

}  // namespace

Result<int> parse_signal(std::string_view text) {
  auto bad = [&] { return make_error(ErrorCode::kInvalidArgument, "unknown signal \"{}\"", text); };
  if (text.empty()) return bad();
  if (auto number = parse_int(text); number.ok()) {
    if (*number <= 0 || *number > SIGRTMAX) return bad();
    return *number;
  }
  std::string upper = to_upper(text);
  std::string_view name = upper;
  if (name.rfind("SIG", 0) == 0) name.remove_prefix(3);
  for (const auto& entry : kSignals) {
    if (entry.name == name) return entry.number;
  }
  if (name.rfind("RTMIN", 0) == 0 || name.rfind("RTMAX", 0) == 0) {
    bool min = name[3] == 'I';
    std::string_view rest = name.substr(5);
    int offset = 0;
    if (!rest.empty()) {
      if (rest[0] != (min ? '+' : '-')) return bad();
      auto n = parse_int(rest.substr(1));
      if (!n.ok()) return bad();
      offset = *n;
    }
    int sig = min ? SIGRTMIN + offset : SIGRTMAX - offset;
    if (sig < SIGRTMIN || sig > SIGRTMAX) return bad();
    return sig;
  }
  return bad();
}

std::string signal_name(int sig) {
  for (const auto& entry : kSignals) {
    if (entry.number == sig) return "SIG" + std::string(entry.name);
  }
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    return sig == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
  }
  return std::to_string(sig);
}

}  // namespace berth::runtime
