#include "cli/run/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <mutex>
#include <vector>

namespace berth::cli {
namespace {

std::mutex g_mu;
std::vector<std::pair<int, termios>> g_saved;

}  // namespace

TermSize terminal_size(int fd) {
  struct winsize ws {};
  if (fd < 0 || ::ioctl(fd, TIOCGWINSZ, &ws) != 0) return {};
  return {ws.ws_row, ws.ws_col};
}

bool RawTerminal::make_raw(int fd) {
  if (fd < 0 || ::isatty(fd) != 1) return false;
  termios state{};
  if (::tcgetattr(fd, &state) != 0) return false;
  termios raw = state;
  raw.c_iflag &= ~static_cast<tcflag_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  raw.c_oflag &= ~static_cast<tcflag_t>(OPOST);
  raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  raw.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB);
  raw.c_cflag |= CS8;
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (::tcsetattr(fd, TCSANOW, &raw) != 0) return false;
  fd_ = fd;
  saved_ = state;
  std::lock_guard lock(g_mu);
  g_saved.emplace_back(fd, state);
  return true;
}

void RawTerminal::restore() {
  if (!saved_) return;
  ::tcsetattr(fd_, TCSANOW, &*saved_);
  std::lock_guard lock(g_mu);
  std::erase_if(g_saved, [&](const auto& s) { return s.first == fd_; });
  saved_.reset();
}

void restore_all_terminals() {
  std::lock_guard lock(g_mu);
  for (auto& [fd, state] : g_saved) ::tcsetattr(fd, TCSANOW, &state);
}

}  // namespace berth::cli
