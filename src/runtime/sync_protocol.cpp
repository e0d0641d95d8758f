#include "runtime/sync_protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sys/syscalls.h"

namespace berth::runtime {

namespace {
// send(MSG_NOSIGNAL) rather than write: the peer may be gone, and the child must not take a
// SIGPIPE (an ignored SIGPIPE would be inherited by the container process).
int send_all(int fd, const void* data, size_t len) noexcept {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = ::send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    p += n;
    len -= static_cast<size_t>(n);
  }
  return 0;
}
}  // namespace

int sync_send(int fd, SyncType type, int32_t errnum, const char* payload,
              uint32_t length) noexcept {
  SyncHeader header{type, errnum, length};
  int rc = send_all(fd, &header, sizeof header);
  if (rc == 0 && length > 0) rc = send_all(fd, payload, length);
  return rc;
}

int sync_recv(int fd, SyncHeader* header, char* payload, size_t capacity) noexcept {
  int rc = sys::read_exact_raw(fd, header, sizeof *header);
  if (rc < 0) return rc;
  size_t remaining = header->length;
  size_t take = remaining < capacity ? remaining : capacity;
  if (take > 0) {
    rc = sys::read_exact_raw(fd, payload, take);
    if (rc < 0) return rc;
  }
  remaining -= take;
  char discard[256];
  while (remaining > 0) {
    size_t chunk = remaining < sizeof discard ? remaining : sizeof discard;
    rc = sys::read_exact_raw(fd, discard, chunk);
    if (rc < 0) return rc;
    remaining -= chunk;
  }
  return 0;
}

void child_fail(int sync_fd, int err, const char* what, const char* detail) noexcept {
  char message[1024];
  size_t len = 0;
  auto append = [&](const char* s) {
    while (s && *s && len + 1 < sizeof message) message[len++] = *s++;
  };
  append(what);
  if (detail && *detail) {
    append(" ");
    append(detail);
  }
  message[len] = '\0';
  sync_send(sync_fd, SyncType::kError, err, message, static_cast<uint32_t>(len));
  ::_exit(1);
}

}  // namespace berth::runtime
