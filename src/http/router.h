// Router: dockerd's route table semantics on top of the server.
//  - routes are method + gorilla/mux-style pattern ("/containers/{id}/json",
//    "/images/{name:.*}/json"), tried in registration order;
//  - an optional "/v1.NN" prefix is stripped and its version exposed as Request::api_version();
//    versions above the maximum or below the minimum get dockerd's 400 messages;
//  - unknown paths and wrong methods get 404 {"message":"page not found"}, as dockerd answers both;
//  - ordinary routes get their body buffered (up to max_body_bytes, else 413) before the
//    handler runs; routes added with stream_body read it themselves, incrementally;
//  - middleware wraps every request, 404s included (logging, Api-Version/Server headers).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response_writer.h"
#include "http/route_pattern.h"

namespace berth::http {

using RouteHandler = std::function<void(Request& request, ResponseWriter& writer)>;
// Calls `next` to go on down the chain (or answers itself and does not).
using Middleware =
    std::function<void(Request& request, ResponseWriter& writer, const RouteHandler& next)>;

struct RouteOptions {
  // The handler reads the body itself (read_body_chunk/body_reader): image loads, archive
  // uploads, build contexts. Otherwise the Router buffers it first.
  bool stream_body = false;
};

struct RouterOptions {
  std::string max_api_version = "1.47";
  std::string min_api_version = "1.24";
  // Largest body the Router buffers for an ordinary route; larger ones get 413.
  uint64_t max_body_bytes = 64ull << 20;
};

class Router {
 public:
  explicit Router(RouterOptions options = {});

  // Registers a route. An invalid pattern is a programming error: logged, then abort().
  void add(std::string_view method, std::string_view pattern, RouteHandler handler,
           RouteOptions options = {});
  void get(std::string_view pattern, RouteHandler h) { add("GET", pattern, std::move(h)); }
  void head(std::string_view pattern, RouteHandler h) { add("HEAD", pattern, std::move(h)); }
  void post(std::string_view pattern, RouteHandler h, RouteOptions o = {}) {
    add("POST", pattern, std::move(h), o);
  }
  void put(std::string_view pattern, RouteHandler h, RouteOptions o = {}) {
    add("PUT", pattern, std::move(h), o);
  }
  void del(std::string_view pattern, RouteHandler h) { add("DELETE", pattern, std::move(h)); }

  // Adds middleware; the first added is the outermost.
  void use(Middleware middleware);

  // Routes one request. This is the server's handler: HttpServer(options, router.handler()).
  void handle(Request& request, ResponseWriter& writer) const;
  // A handler that keeps this Router alive.
  static RouteHandler handler(std::shared_ptr<const Router> router);

  const RouterOptions& options() const { return options_; }

 private:
  struct Route {
    std::string method;
    RoutePattern pattern;
    RouteHandler handler;
    RouteOptions options;
  };

  void dispatch(Request& request, ResponseWriter& writer) const;
  void run_chain(size_t index, Request& request, ResponseWriter& writer) const;

  RouterOptions options_;
  std::vector<Route> routes_;
  std::vector<Middleware> middleware_;
};

}  // namespace berth::http
