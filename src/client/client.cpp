#include "client/client.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "client/api_error.h"
#include "client/daemon_launcher.h"
#include "http/api_version.h"

namespace berth::client {
namespace {

bool is_dial_error(const Error& e) { return e.message().starts_with("dial "); }

}  // namespace

Result<std::unique_ptr<Client>> Client::connect(ClientConfig config) {
  std::unique_ptr<Client> client(new Client(std::move(config)));
  http::ClientOptions options;
  options.host = client->config_.endpoint.host;
  options.tls = client->config_.endpoint.tls;
  options.default_headers.set("User-Agent", client->config_.user_agent);
  client->http_.emplace(TRY(http::HttpClient::create(std::move(options))));
  return client;
}

Error Client::connect_error(const Error& dial) const {
  const std::string& host = config_.endpoint.host;
  if (dial.code() == ErrorCode::kPermissionDenied) {
    return make_error(ErrorCode::kPermissionDenied,
                      "permission denied while trying to connect to the Berth daemon socket at "
                      "{}: {}",
                      host, dial.message());
  }
  return make_error(ErrorCode::kUnavailable,
                    "Cannot connect to the Berth daemon at {}. Is the berth daemon running?", host);
}

Status Client::ping_once() {
  auto response = http_->request(http::ClientRequest::get("/_ping"));
  if (!response.ok()) {
    const Error& e = response.error();
    if (!is_dial_error(e)) return make_error(e.code(), "error during connect: {}", e.message());
    bool may_start = config_.autostart && config_.endpoint.is_default &&
                     e.code() != ErrorCode::kPermissionDenied;
    if (!may_start) return connect_error(e);
    auto answers = [this] {
      auto r = http_->request(http::ClientRequest::get("/_ping"));
      return r.ok() && r->status < 500;
    };
    Status started = launch_daemon(LaunchOptions{}, answers);
    if (!started.ok()) {
      return make_error(started.error().code(), "{}\n{}", connect_error(e).message(),
                        started.error().message());
    }
    response = http_->request(http::ClientRequest::get("/_ping"));
    if (!response.ok()) return connect_error(response.error());
  }
  const http::Headers& h = response->headers;
  ping_.api_version = std::string(h.value("API-Version"));
  ping_.os_type = std::string(h.value("OSType"));
  ping_.experimental = h.value("Docker-Experimental") == "true";
  ping_.builder_version = std::string(h.value("Builder-Version"));
  if (!config_.api_version.empty()) {
    version_ = config_.api_version;
  } else if (ping_.api_version.empty()) {
    version_ = std::string(kFallbackApiVersion);
  } else if (http::compare_api_versions(ping_.api_version, kMaxApiVersion) < 0) {
    version_ = ping_.api_version;
  } else {
    version_ = std::string(kMaxApiVersion);
  }
  return ok_status();
}

Status Client::ensure_ready() {
  std::call_once(ready_once_, [this] {
    Status st = ping_once();
    if (!st.ok()) ready_error_ = st.error();
  });
  if (ready_error_) return *ready_error_;
  return ok_status();
}

const std::string& Client::api_version() {
  (void)ensure_ready();
  return version_;
}

std::string Client::target(std::string_view path, const http::QueryParams& query) {
  std::string t = fmt::format("/v{}{}", version_, path);
  if (!query.empty()) t += "?" + query.encode();
  return t;
}

http::ClientRequest Client::make_request(std::string_view method, std::string target,
                                         std::string body, http::Headers headers) {
  http::ClientRequest request;
  request.method = std::string(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.headers = std::move(headers);
  return request;
}

Result<http::Response> Client::call(std::string_view method, std::string_view path,
                                    const http::QueryParams& query, std::string body,
                                    http::Headers headers) {
  TRY(ensure_ready());
  std::string t = target(path, query);
  auto response = http_->request(make_request(method, t, std::move(body), std::move(headers)));
  if (!response.ok()) {
    if (is_dial_error(response.error())) return connect_error(response.error());
    return std::move(response).error();
  }
  if (response->status >= 400) return api_error(response->status, response->body, t);
  return response;
}

Result<http::Response> Client::call_json(std::string_view method, std::string_view path,
                                         const http::QueryParams& query, const Json& body,
                                         http::Headers headers) {
  headers.set("Content-Type", "application/json");
  return call(method, path, query, body.dump(), std::move(headers));
}

Result<Json> Client::get_json(std::string_view path, const http::QueryParams& query) {
  http::Response r = TRY(call("GET", path, query));
  if (trim(r.body).empty()) return Json(nullptr);
  return parse_json(r.body, path);
}

Result<Json> Client::post_json(std::string_view path, const http::QueryParams& query,
                               const Json& body, http::Headers headers) {
  http::Response r = body.is_null() ? TRY(call("POST", path, query, {}, std::move(headers)))
                                    : TRY(call_json("POST", path, query, body, std::move(headers)));
  if (trim(r.body).empty()) return Json(nullptr);
  return parse_json(r.body, path);
}

Result<std::unique_ptr<http::ResponseStream>> Client::stream(
    std::string_view method, std::string_view path, const http::QueryParams& query,
    std::string body, http::Headers headers, http::BodyReader* upload) {
  TRY(ensure_ready());
  std::string t = target(path, query);
  http::ClientRequest request = make_request(method, t, std::move(body), std::move(headers));
  request.body_reader = upload;
  auto s = http_->stream(request);
  if (!s.ok()) {
    if (is_dial_error(s.error())) return connect_error(s.error());
    return std::move(s).error();
  }
  if ((*s)->status() >= 400) {
    std::string text = (*s)->read_all(1 << 20).value_or("");
    return api_error((*s)->status(), text, t);
  }
  return s;
}

Result<std::unique_ptr<http::HijackedConnection>> Client::hijack(std::string_view path,
                                                                 const http::QueryParams& query,
                                                                 std::string body,
                                                                 std::string content_type) {
  TRY(ensure_ready());
  std::string t = target(path, query);
  http::Headers headers;
  if (!content_type.empty()) headers.set("Content-Type", content_type);
  auto r = http_->hijack(make_request("POST", t, std::move(body), std::move(headers)));
  if (!r.ok()) {
    if (is_dial_error(r.error())) return connect_error(r.error());
    return std::move(r).error();
  }
  if (r->status >= 400) return api_error(r->status, r->body, t);
  if (!r->connection) return Error(ErrorCode::kUnavailable, "the daemon did not upgrade the connection");
  return std::move(r->connection);
}

}  // namespace berth::client
