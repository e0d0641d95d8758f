#include "sys/syscalls.h"

#include <cerrno>
#include <cstring>

namespace berth::sys {

int format_uint(uint64_t value, char* buf) noexcept {
  char tmp[21];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return n;
}

char* fd_proc_path(int fd, char* buf) noexcept {
  static constexpr char kPrefix[] = "/proc/self/fd/";
  std::memcpy(buf, kPrefix, sizeof kPrefix - 1);
  format_uint(static_cast<uint64_t>(fd), buf + sizeof kPrefix - 1);
  return buf;
}

int write_all_raw(int fd, const void* data, size_t len) noexcept {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = ::write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    p += n;
    len -= static_cast<size_t>(n);
  }
  return 0;
}

int read_exact_raw(int fd, void* data, size_t len) noexcept {
  char* p = static_cast<char*>(data);
  while (len > 0) {
    ssize_t n = ::read(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (n == 0) return -EPIPE;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace berth::sys
