// http_fetch (libcurl) and import from a URL, against a one-shot HTTP server on 127.0.0.1.
#include "image/http_fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "image/import.h"
#include "image_test_util.h"

namespace berth::image {
namespace {

// Serves one response to one connection, then stops.
class OneShotServer {
 public:
  explicit OneShotServer(std::string response) : response_(std::move(response)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(::listen(fd_, 1), 0);
    thread_ = std::thread([this] {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      size_t off = 0;
      while (off < response_.size()) {
        ssize_t n = ::write(c, response_.data() + off, response_.size() - off);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      ::close(c);
    });
  }
  ~OneShotServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  std::string response_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

std::string ok_response(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

TEST(HttpFetchTest, DownloadsIntoTheSink) {
  std::string body(300000, 'z');
  OneShotServer server(ok_response(body));
  std::string got;
  store::StringWriter sink(&got);
  int64_t last = 0;
  auto st =
      http_fetch(server.url("/file"), sink, [&](int64_t current, int64_t) { last = current; });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(got, body);
  EXPECT_EQ(last, 300000);
}

TEST(HttpFetchTest, ErrorsAreClear) {
  {
    OneShotServer server(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    std::string got;
    store::StringWriter sink(&got);
    auto st = http_fetch(server.url("/missing"), sink, nullptr);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code(), ErrorCode::kNotFound);
    EXPECT_NE(st.error().message().find("/missing"), std::string::npos);
  }
  std::string got;
  store::StringWriter sink(&got);
  EXPECT_EQ(http_fetch("file:///etc/passwd", sink, nullptr).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST(HttpFetchTest, ImportFromAUrl) {
  test::TempDir dir;
  auto store = test::open_store(dir.path());
  std::string body = test::compress(test::rootfs_tar("over http"), store::Compression::kGzip);
  OneShotServer server(ok_response(body));
  ImportOptions options;
  options.tag = Reference::parse_normalized("web:1").value();
  auto id = import_image_from_url(*store, server.url("/rootfs.tar.gz"), options);
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_EQ(store->config(*id)->history[0].comment,
            "Imported from " + server.url("/rootfs.tar.gz"));
  EXPECT_EQ(store->resolve("web:1")->id, *id);
}

}  // namespace
}  // namespace berth::image
