// The client against a scripted fake server: exact bytes, so edge cases are deterministic.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::http {
namespace {

// Accepts one connection on a unix socket and runs `script` on its fd in a thread.
class FakeServer {
 public:
  explicit FakeServer(std::function<void(int fd)> script) {
    path_ = dir_.path() + "/fake.sock";
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(listener_, 4), 0);
    thread_ = std::thread([this, script = std::move(script)] {
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      script(fd);
      ::close(fd);
    });
  }
  ~FakeServer() {
    thread_.join();
    ::close(listener_);
  }
  std::string host() const { return "unix://" + path_; }

 private:
  testing::TempDir dir_;
  std::string path_;
  int listener_ = -1;
  std::thread thread_;
};

std::string read_head(int fd) {
  std::string in;
  char c;
  while (in.find("\r\n\r\n") == std::string::npos && ::read(fd, &c, 1) == 1) in += c;
  return in;
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

TEST(ClientTest, HijackKeepsBytesThatCameWithTheHead) {
  std::string request;
  FakeServer server([&](int fd) {
    request = read_head(fd);
    // Head and the first output in one write: the client reads both at once.
    write_all(fd,
              "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
              "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nEARLY");
    std::string in;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof(buf))) > 0) in.append(buf, static_cast<size_t>(n));
    write_all(fd, "|got:" + in);
  });
  auto client = HttpClient::create({.host = server.host()});
  ASSERT_TRUE(client.ok());
  auto h = client->hijack(ClientRequest::post("/v1.47/containers/x/attach?stdin=1"));
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  EXPECT_EQ(h->status, 101);
  ASSERT_TRUE(h->connection->write("input").ok());
  ASSERT_TRUE(h->connection->close_write().ok());
  std::string out;
  char buf[64];
  while (true) {
    auto n = h->connection->read(buf, sizeof(buf));
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    out.append(buf, *n);
  }
  EXPECT_EQ(out, "EARLY|got:input");
  EXPECT_NE(request.find("Connection: Upgrade\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("Upgrade: tcp\r\n"), std::string::npos);
  EXPECT_NE(request.find("Host: api.moby.localhost\r\n"), std::string::npos);
}

TEST(ClientTest, BodyUntilCloseAndDefaultHeaders) {
  std::string request;
  FakeServer server([&](int fd) {
    request = read_head(fd);
    write_all(fd, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nline one\r\nline two");
  });
  ClientOptions options{.host = server.host()};
  options.default_headers.set("User-Agent", "Docker-Client/28.0.0 (linux)");
  auto client = HttpClient::create(options);
  ASSERT_TRUE(client.ok());
  auto stream = client->stream(ClientRequest::get("/v1.47/containers/x/logs?follow=1"));
  ASSERT_TRUE(stream.ok());
  auto first = (*stream)->read_line();
  auto second = (*stream)->read_line();
  auto end = (*stream)->read_line();
  ASSERT_TRUE(first.ok() && second.ok() && end.ok());
  EXPECT_EQ(**first, "line one");
  EXPECT_EQ(**second, "line two");
  EXPECT_FALSE(*end);
  EXPECT_NE(request.find("User-Agent: Docker-Client/28.0.0 (linux)\r\n"), std::string::npos);
  EXPECT_TRUE(request.starts_with("GET /v1.47/containers/x/logs?follow=1 HTTP/1.1\r\n"));
}

TEST(ClientTest, ChunkedUploadOnTheWire) {
  std::string request;
  FakeServer server([&](int fd) {
    std::string in;
    char buf[256];
    ssize_t n;
    while (in.find("0\r\n\r\n") == std::string::npos && (n = ::read(fd, buf, sizeof(buf))) > 0) {
      in.append(buf, static_cast<size_t>(n));
    }
    request = in;
    write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  auto client = HttpClient::create({.host = server.host()});
  ASSERT_TRUE(client.ok());
  StringBodyReader body("tar bytes");
  ClientRequest req;
  req.method = "PUT";
  req.target = "/containers/x/archive?path=/tmp";
  req.body_reader = &body;
  auto r = client->request(req);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->body, "ok");
  EXPECT_NE(request.find("Transfer-Encoding: chunked\r\n\r\n9\r\ntar bytes\r\n0\r\n\r\n"),
            std::string::npos)
      << request;
}

TEST(ClientTest, Endpoints) {
  EXPECT_TRUE(HttpClient::create({.host = "unix:///run/berth.sock"}).ok());
  EXPECT_TRUE(HttpClient::create({.host = "/run/berth.sock"}).ok());
  EXPECT_TRUE(HttpClient::create({.host = "tcp://127.0.0.1:2375"}).ok());
  EXPECT_TRUE(HttpClient::create({.host = "tcp://[::1]:2375"}).ok());
  EXPECT_FALSE(HttpClient::create({.host = "ftp://x"}).ok());
  EXPECT_FALSE(HttpClient::create({.host = "tcp://host:99999"}).ok());
  auto missing = HttpClient::create({.host = "unix:///nonexistent/berth.sock"});
  ASSERT_TRUE(missing.ok());
  auto r = missing->request(ClientRequest::get("/_ping"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("/nonexistent/berth.sock"), std::string::npos);
}

}  // namespace
}  // namespace berth::http
