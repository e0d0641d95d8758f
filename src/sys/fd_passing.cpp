#include "sys/fd_passing.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

namespace berth::sys {

int send_fd_raw(int socket_fd, int fd, const char* name) noexcept {
  struct msghdr msg {};
  struct iovec iov {};
  char dummy = '\0';
  size_t name_len = name ? std::strlen(name) : 0;
  iov.iov_base = name_len ? const_cast<char*>(name) : &dummy;
  iov.iov_len = name_len ? name_len : 1;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  while (true) {
    ssize_t n = ::sendmsg(socket_fd, &msg, MSG_NOSIGNAL);
    if (n >= 0) return 0;
    if (errno != EINTR) return -errno;
  }
}

Status send_fd(int socket_fd, int fd, std::string_view name) {
  std::string copy(name);
  int rc = send_fd_raw(socket_fd, fd, copy.c_str());
  if (rc < 0) return errno_error(-rc, "send file descriptor");
  return {};
}

Result<UniqueFd> recv_fd(int socket_fd, std::string* name) {
  struct msghdr msg {};
  char payload[4096];
  struct iovec iov {};
  iov.iov_base = payload;
  iov.iov_len = sizeof payload;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(socket_fd, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno_error("receive file descriptor");
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  if (cmsg == nullptr || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
    return Error(ErrorCode::kInvalidArgument, "no file descriptor in the message");
  int fd;
  std::memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
  if (name) name->assign(payload, static_cast<size_t>(n));
  return UniqueFd(fd);
}

namespace {
Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return make_error(ErrorCode::kInvalidArgument, "socket path too long: {}", path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}
}  // namespace

Result<UniqueFd> connect_unix(const std::string& path) {
  sockaddr_un addr = TRY(unix_address(path));
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error("socket");
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return errno_error("connect " + path);
  return fd;
}

Result<UniqueFd> listen_unix(const std::string& path, int backlog) {
  sockaddr_un addr = TRY(unix_address(path));
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return errno_error("socket");
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
    return errno_error("bind " + path);
  if (::listen(fd.get(), backlog) < 0) return errno_error("listen " + path);
  return fd;
}

}  // namespace berth::sys
