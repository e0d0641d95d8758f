#include "runtime/self_exec.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/unique_fd.h"
#include "sys/syscalls.h"

extern char** environ;

namespace berth::runtime {
namespace {

constexpr int kRequiredSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
constexpr unsigned kMfdExec = 0x0010U;     // MFD_EXEC (Linux 6.3): executable despite vm.memfd_noexec
constexpr int kSealExec = 0x0020;          // F_SEAL_EXEC (Linux 6.3): no chmod
constexpr const char* kGuardVariable = "_BERTH_SEALED_REEXEC";

}  // namespace

bool running_from_sealed_memfd() {
  UniqueFd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return false;
  int seals = ::fcntl(exe.get(), F_GET_SEALS);
  return seals >= 0 && (seals & kRequiredSeals) == kRequiredSeals;
}

Status reexec_from_sealed_memfd(char** argv) {
  if (running_from_sealed_memfd()) {
    ::unsetenv(kGuardVariable);
    return {};
  }
  if (::getenv(kGuardVariable) != nullptr) {
    // We re-executed once already and still are not sealed: do not loop.
    ::unsetenv(kGuardVariable);
    return Error(ErrorCode::kInternal, "re-exec from a sealed memfd did not take effect");
  }
  UniqueFd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return errno_error("open /proc/self/exe");
  struct stat st {};
  if (::fstat(exe.get(), &st) != 0) return errno_error("stat /proc/self/exe");

  int fd = sys::raw_memfd_create("berth-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING | kMfdExec);
  if (fd < 0 && errno == EINVAL) fd = sys::raw_memfd_create("berth-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return errno_error("memfd_create");
  UniqueFd memfd(fd);
  off_t remaining = st.st_size;
  while (remaining > 0) {
    ssize_t n = ::sendfile(memfd.get(), exe.get(), nullptr, static_cast<size_t>(remaining));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("copy runtime binary into memfd");
    }
    if (n == 0) break;
    remaining -= n;
  }
  if (::fcntl(memfd.get(), F_ADD_SEALS, kRequiredSeals | kSealExec) != 0 &&
      ::fcntl(memfd.get(), F_ADD_SEALS, kRequiredSeals) != 0)
    return errno_error("seal memfd");
  ::setenv(kGuardVariable, "1", 1);
  ::fexecve(memfd.get(), argv, environ);
  int err = errno;
  ::unsetenv(kGuardVariable);
  return errno_error(err, "exec sealed memfd");
}

}  // namespace berth::runtime
