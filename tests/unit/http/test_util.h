// Helpers for the http tests: a temp directory, a server on a unix socket in it, raw sockets.
#pragma once

#include <memory>
#include <string>

#include "http/client.h"
#include "http/router.h"
#include "http/server.h"

namespace berth::http::testing {

// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A Router served on <dir>/http.sock.
struct TestServer {
  explicit TestServer(std::shared_ptr<Router> router, ServerOptions options = {});
  ~TestServer();

  std::string socket_path() const { return dir.path() + "/http.sock"; }
  HttpClient client() const;

  TempDir dir;
  std::shared_ptr<Router> router;
  std::unique_ptr<HttpServer> server;
};

// A blocking unix-socket connection for feeding the server raw (and malformed) bytes.
class RawConnection {
 public:
  explicit RawConnection(const std::string& path);
  ~RawConnection();
  bool send(std::string_view data);
  // Reads until the peer closes or `timeout_ms` passes; returns what came.
  std::string read_until_close(int timeout_ms = 5000);
  // Reads until `marker` has been seen (or close/timeout).
  std::string read_until(std::string_view marker, int timeout_ms = 5000);
  // True once the peer has closed (read returns 0) within `timeout_ms`.
  bool closed_by_peer(int timeout_ms = 5000);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// Bytes of heap in use (live allocations; under ASan, not counting its quarantine).
size_t heap_in_use_bytes();

}  // namespace berth::http::testing
