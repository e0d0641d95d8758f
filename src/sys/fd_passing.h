// Passing file descriptors over unix sockets (SCM_RIGHTS), as the console-socket protocol does.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::sys {

// Sends `fd` with `name` as the message payload. Child-safe (no allocation); returns 0 or -errno.
int send_fd_raw(int socket_fd, int fd, const char* name) noexcept;

Status send_fd(int socket_fd, int fd, std::string_view name);
// Receives one fd; the payload (runc sends the pty name) lands in *name when given.
Result<UniqueFd> recv_fd(int socket_fd, std::string* name = nullptr);

// Connects a SOCK_STREAM unix socket to `path`.
Result<UniqueFd> connect_unix(const std::string& path);
// Listens on a SOCK_STREAM unix socket at `path` (which must not exist).
Result<UniqueFd> listen_unix(const std::string& path, int backlog = 16);

}  // namespace berth::sys
