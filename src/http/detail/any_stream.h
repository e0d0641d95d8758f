// Private: one stream type over the three transports (unix socket, TCP, TLS over TCP), so the
// connection code, Beast's parsers and the hijack code are written once. It models Asio's
// AsyncReadStream/AsyncWriteStream and SyncReadStream/SyncWriteStream.
#pragma once

#include <utility>
#include <variant>

#include "http/detail/asio.h"

namespace berth::http::detail {

class AnyStream {
 public:
  using executor_type = asio::any_io_executor;

  explicit AnyStream(UnixSocket socket) : v_(std::move(socket)) {}
  explicit AnyStream(TcpSocket socket) : v_(std::move(socket)) {}
  explicit AnyStream(TlsStream stream) : v_(std::move(stream)) {}
  AnyStream(AnyStream&&) = default;
  AnyStream& operator=(AnyStream&&) = default;

  executor_type get_executor() {
    return std::visit([](auto& s) -> executor_type { return s.get_executor(); }, v_);
  }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    std::visit([&](auto& s) { s.async_read_some(buffers, std::forward<Handler>(handler)); }, v_);
  }
  template <typename Buffers, typename Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    std::visit([&](auto& s) { s.async_write_some(buffers, std::forward<Handler>(handler)); }, v_);
  }

  template <typename Buffers>
  size_t read_some(const Buffers& buffers, error_code& ec) {
    return std::visit([&](auto& s) { return s.read_some(buffers, ec); }, v_);
  }
  template <typename Buffers>
  size_t read_some(const Buffers& buffers) {
    error_code ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <typename Buffers>
  size_t write_some(const Buffers& buffers, error_code& ec) {
    return std::visit([&](auto& s) { return s.write_some(buffers, ec); }, v_);
  }
  template <typename Buffers>
  size_t write_some(const Buffers& buffers) {
    error_code ec;
    size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  bool is_tls() const { return std::holds_alternative<TlsStream>(v_); }
  TlsStream* tls() { return std::get_if<TlsStream>(&v_); }
  int native_fd() {
    return std::visit([](auto& s) { return static_cast<int>(lowest(s).native_handle()); }, v_);
  }
  bool is_open() {
    return std::visit([](auto& s) { return lowest(s).is_open(); }, v_);
  }
  // Bytes readable without blocking (for TLS: encrypted bytes, which usually decrypt to some).
  size_t available() {
    error_code ec;
    size_t n = std::visit([&](auto& s) { return lowest(s).available(ec); }, v_);
    return ec ? 0 : n;
  }
  // Shuts down the sending side of the underlying socket (under TLS too: docker's CloseWrite).
  void shutdown_send() {
    error_code ignored;
    std::visit([&](auto& s) { lowest(s).shutdown(asio::socket_base::shutdown_send, ignored); }, v_);
  }
  // Closes the socket; outstanding operations complete with operation_aborted.
  void close() {
    error_code ignored;
    std::visit([&](auto& s) { lowest(s).close(ignored); }, v_);
  }

 private:
  static UnixSocket& lowest(UnixSocket& s) { return s; }
  static TcpSocket& lowest(TcpSocket& s) { return s; }
  static TcpSocket& lowest(TlsStream& s) { return s.next_layer(); }

  std::variant<UnixSocket, TcpSocket, TlsStream> v_;
};

// End of stream as the hijack and body readers see it: a FIN, or under TLS either a
// close_notify or a FIN without one (docker's clients half-close TLS connections at TCP level).
inline bool is_end_of_stream(const error_code& ec) {
  return ec == asio::error::eof || ec == ssl::error::stream_truncated;
}

}  // namespace berth::http::detail
