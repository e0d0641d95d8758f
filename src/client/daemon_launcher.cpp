#include "client/daemon_launcher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/strings.h"

namespace berth::client {
namespace {

bool is_executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Opens the first log file that can be appended to, creating its directory when missing.
std::pair<int, std::string> open_log(const std::vector<std::string>& candidates) {
  for (const auto& path : candidates) {
    size_t slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) ::mkdir(path.substr(0, slash).c_str(), 0755);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd >= 0) return {fd, path};
  }
  return {-1, ""};
}

}  // namespace

std::string find_berthd() {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n > 0) {
    std::string exe(self, static_cast<size_t>(n));
    std::string beside = exe.substr(0, exe.rfind('/') + 1) + "berthd";
    if (is_executable(beside)) return beside;
  }
  const char* path = std::getenv("PATH");
  for (const auto& dir : split(path != nullptr ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/berthd";
    if (is_executable(candidate)) return candidate;
  }
  return "";
}

std::string tail_file(const std::string& path, size_t lines) {
  std::ifstream in(path);
  if (!in) return "";
  std::vector<std::string> all;
  std::string line;
  while (std::getline(in, line)) all.push_back(line);
  size_t from = all.size() > lines ? all.size() - lines : 0;
  std::string out;
  for (size_t i = from; i < all.size(); ++i) out += all[i] + "\n";
  return out;
}

Status launch_daemon(const LaunchOptions& options, const std::function<bool()>& answers) {
  std::string berthd = options.berthd.empty() ? find_berthd() : options.berthd;
  if (berthd.empty()) {
    return Error(ErrorCode::kNotFound,
                 "berthd is not running and no berthd binary was found beside berth or in PATH");
  }
  auto [log_fd, log_path] = open_log(options.log_files);
  // Remember where the log ended, so a failure shows only this attempt's lines.
  off_t log_start = log_fd >= 0 ? ::lseek(log_fd, 0, SEEK_END) : 0;

  pid_t pid = ::fork();
  if (pid < 0) {
    if (log_fd >= 0) ::close(log_fd);
    return errno_error("fork berthd");
  }
  if (pid == 0) {
    // Child: its own session, so a terminal hangup or the CLI's Ctrl-C does not reach it.
    ::setsid();
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    int out = log_fd >= 0 ? log_fd : null_fd;
    if (out >= 0) {
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
    }
    ::execl(berthd.c_str(), berthd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (log_fd >= 0) ::close(log_fd);

  auto log_tail = [&, log_path = log_path] {
    if (log_path.empty()) return std::string("(no log file could be opened)");
    std::ifstream in(log_path);
    in.seekg(log_start);
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<std::string> lines = split(ss.str(), '\n');
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    size_t from = lines.size() > 20 ? lines.size() - 20 : 0;
    std::string out;
    for (size_t i = from; i < lines.size(); ++i) out += "\n  " + lines[i];
    return out.empty() ? fmt::format(" ({} is empty)", log_path)
                       : fmt::format("\nlast lines of {}:{}", log_path, out);
  };

  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (true) {
    if (answers()) return ok_status();
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      std::string how = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                          : fmt::format("signal {}", WTERMSIG(status));
      return make_error(ErrorCode::kUnavailable, "berthd ({}) exited during start-up with {}{}",
                        berthd, how, log_tail());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return make_error(ErrorCode::kDeadlineExceeded,
                        "berthd ({}, pid {}) did not answer within {} ms{}", berthd, pid,
                        options.timeout.count(), log_tail());
    }
    std::this_thread::sleep_for(options.poll_interval);
  }
}

}  // namespace berth::client
