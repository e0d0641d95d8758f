// Request: what a handler gets. The head (method, target, headers, peer) is parsed before the
// handler runs; the body is pulled by the handler, either whole (buffer_body, done by the Router
// for ordinary routes) or incrementally (read_body_chunk / body_reader) for tar uploads of
// hundreds of MB that must never sit in memory whole.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "http/body_reader.h"
#include "http/headers.h"
#include "http/message.h"
#include "http/query.h"
#include "http/route_pattern.h"

namespace berth::http {

class Request {
 public:
  // A request whose body is already in memory: for handler unit tests.
  Request(std::string method, std::string target, Headers headers = {}, std::string body = {});
  // A request whose body is pulled from `body` (the server's connection) on demand.
  Request(std::string method, std::string target, Headers headers, std::unique_ptr<BodyReader> body,
          PeerInfo peer, int http_version);
  Request(Request&&) noexcept;
  Request& operator=(Request&&) noexcept;
  ~Request();

  const std::string& method() const { return method_; }
  // The request target as sent: "/v1.47/containers/json?all=1".
  const std::string& target() const { return target_; }
  // The percent-decoded path. After routing, without the "/v1.NN" prefix.
  const std::string& path() const { return path_; }
  std::string_view raw_query() const { return raw_query_; }
  const QueryParams& query() const { return query_; }
  // Set when the target could not be decoded (bad %-escape); the Router answers 400 with it.
  const std::optional<Error>& target_error() const { return target_error_; }
  const Headers& headers() const { return headers_; }
  std::string_view header(std::string_view name) const { return headers_.value(name); }
  const PeerInfo& peer() const { return peer_; }
  // 11 for HTTP/1.1, 10 for HTTP/1.0.
  int http_version() const { return http_version_; }

  // Routing results, set by the Router.
  // The value of path parameter `name` ({id}, {name:.*}), or "" when absent.
  std::string_view param(std::string_view name) const;
  const PathParams& params() const { return params_; }
  // The API version the client asked for ("1.41" from "/v1.41/..."), or the Router's
  // maximum when the path had no prefix.
  const std::string& api_version() const { return api_version_; }
  void set_route(std::string path, PathParams params, std::string api_version);

  // Body.
  std::optional<uint64_t> content_length() const { return content_length_; }
  bool chunked() const { return chunked_; }
  // Reads the next piece of the body into `buf`; 0 at its end. Blocks until data comes.
  Result<size_t> read_body_chunk(char* buf, size_t len);
  // The body as a BodyReader (reads through read_body_chunk); owned by the request.
  BodyReader& body_reader();
  // Reads the whole body into memory; kResourceExhausted when it is (or announces to be) larger
  // than `limit`. Idempotent. After it, read_body_chunk replays the buffered body.
  Status buffer_body(uint64_t limit);
  // The buffered body ("" before buffer_body).
  const std::string& body() const { return body_; }
  bool body_buffered() const { return buffered_; }
  // Bytes of body the handler has pulled so far.
  uint64_t body_bytes_read() const { return body_read_; }

 private:
  class ChunkReader;
  void parse_target();

  std::string method_;
  std::string target_;
  std::string path_;
  std::string raw_query_;
  QueryParams query_;
  std::optional<Error> target_error_;
  Headers headers_;
  PeerInfo peer_;
  int http_version_ = 11;
  PathParams params_;
  std::string api_version_;

  std::optional<uint64_t> content_length_;
  bool chunked_ = false;
  std::unique_ptr<BodyReader> source_;
  std::unique_ptr<BodyReader> reader_;  // body_reader(): forwards to read_body_chunk
  std::string body_;
  bool buffered_ = false;
  size_t replay_offset_ = 0;
  uint64_t body_read_ = 0;
};

}  // namespace berth::http
