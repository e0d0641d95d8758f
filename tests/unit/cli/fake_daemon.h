// A stand-in for berthd in CLI tests: an HTTP server on a unix socket that records every
// request and answers through a handler the test provides (by default: /_ping, and 404 for the
// rest), so `berth` commands run end to end without a daemon.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/request.h"
#include "http/server.h"

namespace berth::cli::testing {

struct RecordedRequest {
  std::string method;
  std::string path;   // without the /v1.xx prefix
  std::string query;  // raw query string
  http::Headers headers;
  std::string body;
};

class FakeDaemon {
 public:
  // Returns the response, or nullopt for the default (ping / 404).
  using Handler = std::function<std::optional<http::Response>(const RecordedRequest&)>;

  // Handles a request itself (hijacks, streams); returns false to fall through to `Handler`.
  using RawHandler = std::function<bool(http::Request&, http::ResponseWriter&)>;

  explicit FakeDaemon(Handler handler = nullptr, RawHandler raw = nullptr);
  ~FakeDaemon();

  std::string host() const { return "unix://" + socket_; }
  std::vector<RecordedRequest> requests() const;
  // The first request to `path` (e.g. "/containers/create"), or nullptr.
  std::optional<RecordedRequest> find(const std::string& method, const std::string& path) const;

 private:
  std::string dir_;
  std::string socket_;
  Handler handler_;
  RawHandler raw_;
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace berth::cli::testing
