// Private: accept loops for unix and TCP sockets. Each accepted socket gets a strand of the
// server's io_context and becomes a ServerConnection.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "http/detail/server_state.h"

namespace berth::http::detail {

class Listener {
 public:
  virtual ~Listener() = default;
  virtual void start() = 0;
  // Stops accepting (and removes a unix socket's file). Any thread.
  virtual void close() = 0;
  // "unix:///path" or "tcp://host:port".
  virtual std::string endpoint() const = 0;
  virtual uint16_t port() const { return 0; }
};

// Binds `spec.path`, replacing a stale socket file (one nobody accepts on), then sets its
// mode and group.
Result<std::shared_ptr<Listener>> listen_unix(std::shared_ptr<ServerState> server,
                                              const UnixSocketSpec& spec);
Result<std::shared_ptr<Listener>> listen_tcp(std::shared_ptr<ServerState> server,
                                             const TcpSocketSpec& spec);

}  // namespace berth::http::detail
