// HttpServer: HTTP/1.1 on unix sockets and TCP (optionally TLS with client-certificate
// verification). Socket I/O runs on an asio io_context driven by `io_threads` threads; each
// request's handler runs on a thread of its own from a growing pool, so handlers may block
// (waiting for a container, following logs, pumping a hijacked stream) without stalling I/O.
//
//   auto router = std::make_shared<Router>();
//   router->get("/_ping", [](Request&, ResponseWriter& w) { (void)w.send(Response::text(200,
//   "OK")); }); ServerOptions options; options.unix_sockets.push_back({.path =
//   "/run/berth/berth.sock"}); auto server = TRY(HttpServer::start(std::move(options),
//   Router::handler(router)));
//   ...
//   server->stop(std::chrono::seconds(10));
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "http/router.h"
#include "http/tls_config.h"

namespace berth::http {

struct UnixSocketSpec {
  std::string path;
  unsigned mode = 0660;
  // Group owning the socket: a name or a numeric gid ("docker", "999"); empty: unchanged.
  std::string group;
};

struct TcpSocketSpec {
  std::string host = "127.0.0.1";
  uint16_t port = 2375;  // 0: any free port (see HttpServer::endpoints)
  std::optional<TlsServerConfig> tls;
};

struct ServerOptions {
  std::vector<UnixSocketSpec> unix_sockets;
  std::vector<TcpSocketSpec> tcp_sockets;
  int io_threads = 2;
  // Handler threads are created on demand up to this many; requests beyond wait for one.
  int max_handler_threads = 1024;
  // Largest request head (request line and headers); larger gets 431 and the connection closes.
  uint32_t max_header_bytes = 1u << 20;
  // A connection waiting for (the rest of) a request head this long is closed.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(120);
  std::chrono::milliseconds tls_handshake_timeout = std::chrono::seconds(30);
  // write_chunk blocks while more than this is queued for one client.
  size_t stream_high_water_bytes = 4u << 20;
};

class HttpServer {
 public:
  // Binds every socket (removing stale unix socket files), then starts serving.
  static Result<std::unique_ptr<HttpServer>> start(ServerOptions options, RouteHandler handler);
  ~HttpServer();  // stop() with no grace
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // What is being served: "unix:///run/berth.sock", "tcp://127.0.0.1:40123" (real ports).
  std::vector<std::string> endpoints() const;
  // The bound port of tcp_sockets[index].
  uint16_t tcp_port(size_t index) const;
  size_t open_connections() const;

  // Stops accepting and closes idle connections; requests in flight get `grace` to finish,
  // then their connections (hijacked ones too) are closed so their handlers' I/O fails and
  // on_client_gone callbacks run. Returns once every handler has returned. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Blocks until stop() has completed (called from another thread).
  void wait();

  struct Impl;

 private:
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace berth::http
