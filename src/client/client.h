// Client: the Docker Engine API over berth::http::HttpClient, as the docker CLI's client package
// behaves: API version negotiation on first use (the /_ping API-Version header, capped at 1.47),
// "/v1.47" prefixed routes, daemon errors as "Error response from daemon: ...", and, when the
// default socket does not answer and no host was named, starting berthd (daemon_launcher.h).
//
//   auto c = TRY(Client::connect({.endpoint = TRY(resolve_endpoint(opts, process_env()))}));
//   Json list = TRY(c->get_json("/containers/json", q));
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "client/host.h"
#include "http/client.h"
#include "http/query.h"

namespace berth::client {

inline constexpr std::string_view kMaxApiVersion = "1.47";
// What a daemon that sends no API-Version header is assumed to speak (docker's fallback).
inline constexpr std::string_view kFallbackApiVersion = "1.24";

struct ClientConfig {
  Endpoint endpoint;
  // Start berthd when the default socket does not answer (only for endpoint.is_default).
  bool autostart = true;
  // Pins the API version instead of negotiating (BERTH_API_VERSION).
  std::string api_version;
  std::string user_agent = "Berth-Client/" BERTH_VERSION " (linux)";
};

// What /_ping told us.
struct PingInfo {
  std::string api_version;
  std::string os_type;
  bool experimental = false;
  std::string builder_version;
};

class Client {
 public:
  static Result<std::unique_ptr<Client>> connect(ClientConfig config);

  // Negotiates the version if not done yet (and starts berthd if needed).
  Status ensure_ready();
  const std::string& api_version();
  const PingInfo& ping_info() const { return ping_; }
  const std::string& host() const { return config_.endpoint.host; }

  // "/v1.47/containers/json?all=1" for path "/containers/json" and `query`.
  std::string target(std::string_view path, const http::QueryParams& query = {});

  // One request, the whole response; statuses >= 400 become errors.
  Result<http::Response> call(std::string_view method, std::string_view path,
                              const http::QueryParams& query = {}, std::string body = {},
                              http::Headers headers = {});
  Result<http::Response> call_json(std::string_view method, std::string_view path,
                                   const http::QueryParams& query, const Json& body,
                                   http::Headers headers = {});
  Result<Json> get_json(std::string_view path, const http::QueryParams& query = {});
  // POST with a JSON body (or none when `body` is null); the answer parsed (null when empty).
  Result<Json> post_json(std::string_view path, const http::QueryParams& query = {},
                         const Json& body = nullptr, http::Headers headers = {});

  // A response read as it arrives. `upload` streams a request body (tar uploads).
  Result<std::unique_ptr<http::ResponseStream>> stream(std::string_view method,
                                                       std::string_view path,
                                                       const http::QueryParams& query = {},
                                                       std::string body = {},
                                                       http::Headers headers = {},
                                                       http::BodyReader* upload = nullptr);
  // attach / exec start: the raw connection after the upgrade.
  Result<std::unique_ptr<http::HijackedConnection>> hijack(std::string_view path,
                                                           const http::QueryParams& query,
                                                           std::string body = {},
                                                           std::string content_type = {});

  http::HttpClient& http() { return *http_; }

 private:
  explicit Client(ClientConfig config) : config_(std::move(config)) {}
  Status ping_once();
  Error connect_error(const Error& dial) const;
  http::ClientRequest make_request(std::string_view method, std::string target,
                                   std::string body, http::Headers headers);

  ClientConfig config_;
  std::optional<http::HttpClient> http_;
  std::once_flag ready_once_;
  std::optional<Error> ready_error_;
  PingInfo ping_;
  std::string version_;
};

}  // namespace berth::client
