// HttpClient: the HTTP/1.1 client the berth CLI and compose use to talk to berthd (or dockerd):
// unix socket or TCP (optionally TLS with a client certificate), idle connections reused.
//
//   auto client = TRY(HttpClient::create({.host = "unix:///run/berth/berth.sock"}));
//   Response r = TRY(client.request(ClientRequest::get("/v1.47/version")));
//   auto events = TRY(client.stream(ClientRequest::get("/v1.47/events")));
//   while (auto line = TRY(events->read_line())) handle(*line);   // one JSON message a line
//   auto attach = TRY(client.hijack(ClientRequest::post("/v1.47/containers/x/attach?stream=1")));
//   attach.connection->write("input"); attach.connection->close_write(); ...
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "http/body_reader.h"
#include "http/headers.h"
#include "http/hijacked_connection.h"
#include "http/message.h"
#include "http/tls_config.h"

namespace berth::http {

struct ClientOptions {
  // "unix:///run/berth/berth.sock", "/run/berth/berth.sock", "tcp://host:2376",
  // "http://host:2375", "https://host:2376" (TLS with default settings unless `tls` is set).
  std::string host = "unix:///var/run/docker.sock";
  // TLS for tcp:// hosts (docker --tls/--tlsverify).
  std::optional<TlsClientConfig> tls;
  // Sent with every request unless the request sets them (User-Agent, ...).
  Headers default_headers;
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(30);
  size_t max_idle_connections = 8;
  // request() refuses bodies larger than this; use stream() for big downloads.
  uint64_t max_response_bytes = 1ull << 30;
};

struct ClientRequest {
  std::string method = "GET";
  // Origin-form target with the query: "/v1.47/containers/json?all=1".
  std::string target = "/";
  Headers headers;
  std::string body;
  // When set, the body is streamed from it instead of `body`: with Content-Length when
  // `body_length` is known, else chunked. The request cannot then be retried.
  BodyReader* body_reader = nullptr;
  std::optional<uint64_t> body_length;

  static ClientRequest get(std::string target);
  static ClientRequest post(std::string target, std::string body = {},
                            std::string_view content_type = {});
  static ClientRequest post_json(std::string target, const Json& body);
};

// A response whose body is read as it arrives: /events, logs --follow, pull progress, export.
class ResponseStream final : public BodyReader {
 public:
  struct Impl;
  explicit ResponseStream(std::unique_ptr<Impl> impl);
  ~ResponseStream() override;  // returns the connection for reuse if the body was read whole

  int status() const;
  const Headers& headers() const;
  // Reads up to `len` body bytes; 0 at the end.
  Result<size_t> read(char* buf, size_t len) override;
  // The next line without its "\n" (or "\r\n"); nullopt at the end. For JSON-message streams.
  Result<std::optional<std::string>> read_line();
  // The rest of the body; kResourceExhausted beyond `limit`.
  Result<std::string> read_all(uint64_t limit);
  // From another thread: makes a blocked read return (with an error or 0), e.g. on Ctrl-C.
  void cancel();

 private:
  std::unique_ptr<Impl> impl_;
};

struct HijackResponse {
  int status = 0;
  Headers headers;
  // The error body when the server answered with something other than 101 or 200.
  std::string body;
  // The raw stream, when the server answered 101 (or 200, docker's pre-Upgrade form).
  std::unique_ptr<HijackedConnection> connection;
};

class HttpClient {
 public:
  static Result<HttpClient> create(ClientOptions options);

  // Sends `request` and reads the whole response.
  Result<Response> request(const ClientRequest& request);
  // Sends `request` and returns once the response head has arrived.
  Result<std::unique_ptr<ResponseStream>> stream(const ClientRequest& request);
  // Sends `request` with "Connection: Upgrade" and "Upgrade: tcp" (unless `upgrade` is false:
  // the old form without them) and returns the raw stream after the 101/200 head.
  Result<HijackResponse> hijack(ClientRequest request, bool upgrade = true);

  void close_idle_connections();
  const ClientOptions& options() const;

  struct Impl;

 private:
  explicit HttpClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace berth::http
