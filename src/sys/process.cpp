#include "sys/process.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_util.h"
#include "base/strings.h"
#include "sys/syscalls.h"

namespace berth::sys {
namespace {

// /proc/<pid>/stat: "pid (comm) S ppid ...". comm may contain spaces and parentheses, so
// fields are counted after the last ')'.
Result<std::vector<std::string>> stat_fields_after_comm(pid_t pid) {
  std::string text = TRY(read_file("/proc/" + std::to_string(pid) + "/stat"));
  size_t close = text.rfind(')');
  if (close == std::string::npos)
    return make_error(ErrorCode::kInternal, "malformed /proc/{}/stat", pid);
  std::vector<std::string> fields;
  for (auto& f : split(trim(std::string_view(text).substr(close + 1)), ' ')) {
    if (!f.empty()) fields.push_back(std::move(f));
  }
  return fields;
}

}  // namespace

Result<uint64_t> process_start_time(pid_t pid) {
  auto fields = TRY(stat_fields_after_comm(pid));
  // After comm: field 3 is index 0, so field 22 is index 19.
  if (fields.size() < 20) return make_error(ErrorCode::kInternal, "short /proc/{}/stat", pid);
  return parse_uint64(fields[19]);
}

Result<char> process_state(pid_t pid) {
  auto fields = TRY(stat_fields_after_comm(pid));
  if (fields.empty() || fields[0].empty())
    return make_error(ErrorCode::kInternal, "short /proc/{}/stat", pid);
  return fields[0][0];
}

Result<pid_t> pid_in_own_namespace(pid_t pid) {
  std::string text = TRY(read_file("/proc/" + std::to_string(pid) + "/status"));
  for (const auto& line : split(text, '\n')) {
    if (line.rfind("NSpid:", 0) != 0) continue;
    auto fields = split(trim(line.substr(6)), '\t');
    if (fields.empty()) break;
    int64_t inner = TRY(parse_int64(trim(fields.back())));
    return static_cast<pid_t>(inner);
  }
  return make_error(ErrorCode::kInternal, "no NSpid in /proc/{}/status", pid);
}

bool process_matches(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return false;
  auto fields = stat_fields_after_comm(pid);
  if (!fields.ok() || fields->size() < 20) return false;
  if ((*fields)[0] == "Z" || (*fields)[0] == "X") return false;
  auto st = parse_uint64((*fields)[19]);
  return st.ok() && *st == start_time;
}

Result<UniqueFd> pidfd_open(pid_t pid) {
  int fd = raw_pidfd_open(pid, 0);
  if (fd < 0) return errno_error("pidfd_open " + std::to_string(pid));
  return UniqueFd(fd);
}

Result<bool> pidfd_wait(int pidfd, int timeout_ms) {
  struct pollfd pfd {};
  pfd.fd = pidfd;
  pfd.events = POLLIN;
  while (true) {
    int rc = ::poll(&pfd, 1, timeout_ms);
    if (rc < 0) {
      if (errno == EINTR) continue;
      return errno_error("poll pidfd");
    }
    return rc > 0;
  }
}

long clock_ticks() {
  static long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks;
}

Result<int64_t> boot_time() {
  std::string text = TRY(read_file("/proc/stat"));
  for (const auto& line : split(text, '\n')) {
    if (line.rfind("btime ", 0) == 0) return parse_int64(trim(line.substr(6)));
  }
  return Error(ErrorCode::kInternal, "no btime in /proc/stat");
}

}  // namespace berth::sys
