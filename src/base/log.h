// A small process-wide logger. Text to stderr by default; the runtime can send it to a file
// in runc's JSON-lines format ({"level":"error","msg":"...","time":"..."}), which containerd reads.
#pragma once

#include <string_view>

#include <fmt/format.h>

namespace berth::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kText, kJson };

void set_level(Level level);
Level level();
// Sends log lines to `fd` (not owned; kept open for the process lifetime).
void set_output(int fd, Format format);
void set_program(std::string_view name);

void write(Level level, std::string_view message);

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= Level::kDebug) write(Level::kDebug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= Level::kInfo) write(Level::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= Level::kWarn) write(Level::kWarn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::kError, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace berth::log
