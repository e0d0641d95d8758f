#include "test_util.h"

#include <malloc.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <gtest/gtest.h>

#include "base/file_util.h"

#if defined(__SANITIZE_ADDRESS__)
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace berth::http::testing {

TempDir::TempDir() {
  char tmpl[] = "/tmp/berth-http-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  (void)remove_all(path_);
}

TestServer::TestServer(std::shared_ptr<Router> r, ServerOptions options) : router(std::move(r)) {
  options.unix_sockets.push_back({.path = socket_path(), .mode = 0600});
  auto started = HttpServer::start(std::move(options), Router::handler(router));
  if (!started.ok()) throw std::runtime_error(started.error().to_string());
  server = started.take();
}

TestServer::~TestServer() {
  if (server) server->stop(std::chrono::milliseconds(500));
}

HttpClient TestServer::client() const {
  auto c = HttpClient::create({.host = "unix://" + socket_path()});
  if (!c.ok()) throw std::runtime_error(c.error().to_string());
  return c.take();
}

RawConnection::RawConnection(const std::string& path) {
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr {};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd_, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) != 0) {
    throw std::runtime_error("connect " + path + ": " + std::strerror(errno));
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string RawConnection::read_until(std::string_view marker, int timeout_ms) {
  std::string out;
  char buf[4096];
  while (marker.empty() || out.find(marker) == std::string::npos) {
    struct pollfd pfd {
      fd_, POLLIN, 0
    };
    if (::poll(&pfd, 1, timeout_ms) <= 0) break;
    ssize_t n = ::read(fd_, buf, sizeof(buf));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string RawConnection::read_until_close(int timeout_ms) {
  return read_until({}, timeout_ms);
}

bool RawConnection::closed_by_peer(int timeout_ms) {
  char buf[4096];
  while (true) {
    struct pollfd pfd {
      fd_, POLLIN, 0
    };
    if (::poll(&pfd, 1, timeout_ms) <= 0) return false;
    ssize_t n = ::read(fd_, buf, sizeof(buf));
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

size_t heap_in_use_bytes() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  return ::mallinfo2().uordblks;
#endif
}

}  // namespace berth::http::testing
