#include "daemon/shim_client.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/file_util.h"
#include "shim/protocol.h"
#include "shim/shim_socket.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"

namespace berth::daemon {

Result<ShimLauncher> ShimLauncher::create(const std::string& shim_binary) {
  UniqueFd src(::open(shim_binary.c_str(), O_RDONLY | O_CLOEXEC));
  if (!src) return errno_error("open " + shim_binary);
  struct stat st {};
  if (::fstat(src.get(), &st) != 0) return errno_error("stat " + shim_binary);
  int fd = sys::raw_memfd_create("berth-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING | 0x0010U);
  if (fd < 0 && errno == EINVAL) fd = sys::raw_memfd_create("berth-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return errno_error("memfd_create");
  UniqueFd memfd(fd);
  off_t left = st.st_size;
  while (left > 0) {
    ssize_t n = ::sendfile(memfd.get(), src.get(), nullptr, static_cast<size_t>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_error("copy berth-shim into memfd");
    left -= n;
  }
  if (::fcntl(memfd.get(), F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0)
    return errno_error("seal berth-shim memfd");
  return ShimLauncher(std::move(memfd));
}

Result<pid_t> ShimLauncher::launch(const shim::ShimConfig& config) const {
  TRY(write_file_atomic(shim::config_path(config.bundle), shim::to_json(config).dump(), 0600));
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) return errno_error("pipe");
  UniqueFd status_r(status_pipe[0]);
  UniqueFd status_w(status_pipe[1]);
  // Everything the child needs is prepared before fork: berthd is multi-threaded, so the child
  // may only make async-signal-safe calls before exec.
  std::string arg0 = "berth-shim";
  std::string arg1 = config.bundle;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  char* envp[] = {nullptr};
  int memfd = memfd_.get();
  pid_t pid = ::fork();
  if (pid < 0) return errno_error("fork shim");
  if (pid == 0) {
    if (::dup2(status_pipe[1], 3) < 0 || ::dup2(memfd, 4) < 0) ::_exit(127);
    ::fcntl(4, F_SETFD, FD_CLOEXEC);
    sys::raw_close_range(5, ~0U, 0);
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    ::syscall(SYS_execveat, 4, "", argv, envp, AT_EMPTY_PATH);
    ::_exit(127);
  }
  status_w.reset();
  // The first shim process forks the real one and exits at once.
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  std::string line;
  char buf[1024];
  while (line.find('\n') == std::string::npos) {
    struct pollfd pfd {status_r.get(), POLLIN, 0};
    int rc = ::poll(&pfd, 1, 120'000);
    if (rc == 0) return Error(ErrorCode::kDeadlineExceeded, "timed out waiting for berth-shim");
    if (rc < 0) {
      if (errno == EINTR) continue;
      return errno_error("poll shim status");
    }
    ssize_t n = ::read(status_r.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  if (line.rfind("ok ", 0) == 0) {
    auto p = std::atoi(line.c_str() + 3);
    if (p > 0) return static_cast<pid_t>(p);
  }
  if (line.rfind("error ", 0) == 0) {
    std::string message = line.substr(6);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Error(ErrorCode::kFailedPrecondition, message);
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127)
    return Error(ErrorCode::kInternal, "could not execute berth-shim");
  return Error(ErrorCode::kInternal, "berth-shim exited without reporting");
}

Result<UniqueFd> shim_connect(const std::string& bundle) {
  return shim::connect_shim_socket(bundle);
}

Result<ShimStream> shim_open_stream(const std::string& bundle, const Json& request) {
  ShimStream stream;
  stream.fd = TRY(shim_connect(bundle));
  TRY(shim::write_json_line(stream.fd.get(), request));
  stream.reply = TRY(shim::read_json_line(stream.fd.get(), &stream.leftover));
  if (stream.reply.contains("error")) {
    std::string message = stream.reply["error"].get<std::string>();
    ErrorCode code = ErrorCode::kFailedPrecondition;
    if (stream.reply.contains("code")) code = static_cast<ErrorCode>(stream.reply["code"].get<int>());
    return Error(code, message, stream.reply.value("errno", 0));
  }
  return stream;
}

Result<Json> shim_call(const std::string& bundle, const Json& request) {
  ShimStream stream = TRY(shim_open_stream(bundle, request));
  return stream.reply;
}

}  // namespace berth::daemon
