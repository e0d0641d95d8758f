// Private: one client connection with its own io_context. Requests and responses use
// synchronous I/O on the caller's thread; a hijacked connection hands the io_context to a
// thread of its own (IoThread).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "http/client.h"
#include "http/detail/any_stream.h"

namespace berth::http::detail {

struct ClientEndpoint {
  bool is_unix = true;
  std::string path;  // unix
  std::string host;  // tcp
  uint16_t port = 0;
  bool tls = false;
  std::string host_header;  // what the Host header says
};

// Parses ClientOptions::host.
Result<ClientEndpoint> parse_client_endpoint(std::string_view host, bool tls_configured);

class ClientConnection {
 public:
  static Result<std::unique_ptr<ClientConnection>> dial(const ClientEndpoint& endpoint,
                                                        ssl::context* tls,
                                                        const TlsClientConfig* tls_config,
                                                        std::chrono::milliseconds timeout);

  AnyStream& stream() { return *stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  std::unique_ptr<asio::io_context> release_io() { return std::move(io_); }
  AnyStream release_stream() { return std::move(*stream_); }

  // Writes the request head and body. Any thread, one at a time.
  Status write_request(const ClientRequest& request, const Headers& defaults,
                       std::string_view host_header);
  // An idle connection may be reused when the server has neither closed it nor sent anything.
  bool reusable();
  // From any thread: wakes a read blocked on this connection.
  void abort();
  bool reused = false;

 private:
  ClientConnection() = default;

  std::unique_ptr<asio::io_context> io_;  // before stream_: destroyed after it
  std::optional<AnyStream> stream_;
  beast::flat_buffer buffer_;
  int fd_ = -1;
};

}  // namespace berth::http::detail
