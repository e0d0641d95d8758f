// One HTTP exchange over libcurl: no redirects followed, no authentication — the session above
// decides both. Bodies stream in both directions; easy handles are pooled so that connections
// are kept alive across requests. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "registry/http_headers.h"
#include "registry/tls_config.h"
#include "store/stream.h"

namespace berth::registry {

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  // The body, unless the request streamed it through on_body.
  std::string body;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;
  // The request body: `body`, or when body_reader is set exactly body_size bytes read from it
  // (fewer is a kDataLoss error).
  std::string body;
  store::Reader* body_reader = nullptr;
  int64_t body_size = 0;
  // Receives the body of a 2xx response as it arrives, with the status and headers already
  // parsed; an error aborts the transfer and is what perform() returns. Other responses'
  // bodies are collected in HttpResponse::body (the first 64 KiB).
  std::function<Status(const HttpResponse& head, std::string_view chunk)> on_body;
  // Told how many request-body bytes have been sent so far.
  std::function<void(int64_t sent)> on_sent;
  // Larger collected 2xx bodies fail with kResourceExhausted.
  size_t max_body = 8u << 20;
  TlsConfig tls;
};

struct TransportOptions {
  std::string user_agent;
  long connect_timeout_ms = 30'000;
  // A transfer that moves no byte for this long fails (kDeadlineExceeded), and is retried.
  long stall_timeout_s = 60;
};

class HttpTransport {
 public:
  explicit HttpTransport(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Returns any HTTP response (including 4xx/5xx); an Error only when no complete response
  // arrived: connection refused, TLS failure, dropped connection (kUnavailable, with the URL),
  // timeouts (kDeadlineExceeded), certificate verification (kFailedPrecondition).
  Result<HttpResponse> perform(const HttpRequest& request);

 private:
  void* acquire();
  void release(void* handle);
  const std::string& system_ca_pem(void* handle);

  TransportOptions options_;
  std::mutex mutex_;
  std::vector<void*> idle_;
  bool system_ca_loaded_ = false;
  std::string system_ca_pem_;
};

}  // namespace berth::registry
