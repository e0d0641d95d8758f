#include "fake_daemon.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "http/api_version.h"
#include "http/router.h"

namespace berth::cli::testing {

FakeDaemon::FakeDaemon(Handler handler, RawHandler raw)
    : handler_(std::move(handler)), raw_(std::move(raw)) {
  char tmpl[] = "/tmp/berth-cli-test-XXXXXX";
  dir_ = ::mkdtemp(tmpl);
  socket_ = dir_ + "/d.sock";
  auto router = std::make_shared<http::Router>();
  router->use([this](http::Request& r, http::ResponseWriter& w, const http::RouteHandler&) {
    (void)r.buffer_body(1 << 26);
    RecordedRequest rec;
    rec.method = r.method();
    http::VersionedPath vp = http::split_version_prefix(r.path());
    rec.path = vp.path;
    rec.query = std::string(r.raw_query());
    rec.headers = r.headers();
    rec.body = r.body();
    {
      std::lock_guard lock(mu_);
      requests_.push_back(rec);
    }
    if (raw_ && raw_(r, w)) return;
    std::optional<http::Response> resp = handler_ ? handler_(rec) : std::nullopt;
    if (!resp) {
      if (rec.path == "/_ping") {
        http::Response ping = http::Response::text(200, "OK");
        ping.headers.set("API-Version", "1.47");
        ping.headers.set("OSType", "linux");
        resp = ping;
      } else {
        resp = http::Response::error(404, "not captured");
      }
    }
    (void)w.send(std::move(*resp));
  });
  http::ServerOptions options;
  options.unix_sockets.push_back({.path = socket_});
  server_ = http::HttpServer::start(std::move(options), http::Router::handler(router)).take();
}

FakeDaemon::~FakeDaemon() {
  server_->stop(std::chrono::milliseconds(100));
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::vector<RecordedRequest> FakeDaemon::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::optional<RecordedRequest> FakeDaemon::find(const std::string& method,
                                                const std::string& path) const {
  std::lock_guard lock(mu_);
  for (const auto& r : requests_) {
    if (r.method == method && r.path == path) return r;
  }
  return std::nullopt;
}

}  // namespace berth::cli::testing
