// The terminal around an attached container: raw mode while a TTY stream is attached (restored
// on every way out), and the window size for /resize.
#pragma once

#include <termios.h>

#include <optional>

namespace berth::cli {

struct TermSize {
  unsigned height = 0;
  unsigned width = 0;
};

// The window size of `fd`, or {0, 0} when it is not a terminal.
TermSize terminal_size(int fd);

// Puts fds into raw mode (moby/term MakeRaw) and restores them when done or destroyed. The
// saved state is also restored by restore_all_terminals(), which the signal thread calls before
// the process dies.
class RawTerminal {
 public:
  RawTerminal() = default;
  ~RawTerminal() { restore(); }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  // No-op for an fd that is not a terminal.
  bool make_raw(int fd);
  void restore();

 private:
  int fd_ = -1;
  std::optional<termios> saved_;
};

void restore_all_terminals();

}  // namespace berth::cli
