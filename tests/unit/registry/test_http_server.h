// A tiny HTTP/1.1 server on 127.0.0.1 for tests: fake registries, token servers and blob
// storage. One request per connection ("Connection: close"); a handler decides each response,
// and can cut a body short to simulate a dropped connection.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace berth::registry {

struct TestRequest {
  std::string method;
  std::string target;  // path and query, as sent
  std::string path;
  std::map<std::string, std::string> query;  // decoded; repeated keys: the last
  std::vector<std::string> query_all(const std::string& key) const;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string raw_query;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct TestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Send only this many body bytes (Content-Length still says body.size()), then close.
  std::optional<size_t> send_only;

  static TestResponse json(int status, const std::string& body) {
    return TestResponse{status, {{"Content-Type", "application/json"}}, body, std::nullopt};
  }
};

class TestHttpServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;
  explicit TestHttpServer(Handler handler);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return "http://" + host(); }
  // Every request served so far.
  std::vector<TestRequest> requests() const;

 private:
  void accept_loop();
  void serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::vector<TestRequest> requests_;
};

// Percent-decoding for query strings and forms ('+' is a space).
std::string url_decode(std::string_view s);
std::map<std::string, std::string> parse_form(std::string_view s);

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

}  // namespace berth::registry
