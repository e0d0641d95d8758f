#include "base/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>

#include "base/json_escape.h"
#include "base/time_format.h"

namespace berth::log {
namespace {

std::atomic<Level> g_level{Level::kWarn};
std::atomic<int> g_fd{STDERR_FILENO};
std::atomic<Format> g_format{Format::kText};
std::string g_program = "berth";

std::string_view level_name(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    s.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }
void set_output(int fd, Format format) {
  g_fd = fd;
  g_format = format;
}
void set_program(std::string_view name) { g_program = std::string(name); }

void write(Level l, std::string_view message) {
  std::string line;
  auto now = std::chrono::system_clock::now();
  if (g_format == Format::kJson) {
    line = fmt::format(R"({{"level":"{}","msg":"{}","time":"{}"}})", level_name(l),
                       json_escape(message), format_rfc3339_nano(now));
  } else {
    line = fmt::format("{} {}[{}]: {}", format_rfc3339_nano(now), g_program, level_name(l), message);
  }
  line.push_back('\n');
  write_all(g_fd, line);
}

}  // namespace berth::log
