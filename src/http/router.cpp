#include "http/router.h"

#include <cstdlib>

#include "base/log.h"
#include "http/api_version.h"

namespace berth::http {

Router::Router(RouterOptions options) : options_(std::move(options)) {}

void Router::add(std::string_view method, std::string_view pattern, RouteHandler handler,
                 RouteOptions options) {
  auto compiled = RoutePattern::compile(pattern);
  if (!compiled.ok()) {
    log::error("http router: {}", compiled.error().to_string());
    std::abort();
  }
  routes_.push_back({std::string(method), compiled.take(), std::move(handler), options});
}

void Router::use(Middleware middleware) {
  middleware_.push_back(std::move(middleware));
}

RouteHandler Router::handler(std::shared_ptr<const Router> router) {
  return [router = std::move(router)](Request& request, ResponseWriter& writer) {
    router->handle(request, writer);
  };
}

void Router::handle(Request& request, ResponseWriter& writer) const {
  // Strip the version prefix before middleware runs, so loggers see the routed path and version.
  VersionedPath split = split_version_prefix(request.path());
  request.set_route(std::move(split.path), {}, split.version.value_or(options_.max_api_version));
  run_chain(0, request, writer);
}

void Router::run_chain(size_t index, Request& request, ResponseWriter& writer) const {
  if (index == middleware_.size()) {
    dispatch(request, writer);
    return;
  }
  RouteHandler next = [this, index](Request& r, ResponseWriter& w) { run_chain(index + 1, r, w); };
  middleware_[index](request, writer, next);
}

void Router::dispatch(Request& request, ResponseWriter& writer) const {
  if (request.target_error()) {
    (void)writer.send_error(400, request.target_error()->message());
    return;
  }
  const Route* found = nullptr;
  PathParams params;
  for (const Route& route : routes_) {
    if (route.method == request.method() && route.pattern.match(request.path(), &params)) {
      found = &route;
      break;
    }
  }
  if (!found) {
    (void)writer.send_error(404, "page not found");
    return;
  }
  const std::string& version = request.api_version();
  if (compare_api_versions(version, options_.max_api_version) > 0) {
    (void)writer.send_error(400, fmt::format("client version {} is too new. Maximum supported API "
                                             "version is {}",
                                             version, options_.max_api_version));
    return;
  }
  if (compare_api_versions(version, options_.min_api_version) < 0) {
    (void)writer.send_error(400, fmt::format("client version {} is too old. Minimum supported API "
                                             "version is {}, please upgrade your client to a newer "
                                             "version",
                                             version, options_.min_api_version));
    return;
  }
  request.set_route(request.path(), std::move(params), version);
  if (!found->options.stream_body) {
    Status body = request.buffer_body(options_.max_body_bytes);
    if (!body.ok()) {
      int status = body.error().code() == ErrorCode::kResourceExhausted ? 413 : 400;
      (void)writer.send_error(status, body.error().message());
      return;
    }
  }
  found->handler(request, writer);
}

}  // namespace berth::http
