// Private: what every connection of one HttpServer shares.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "http/detail/asio.h"
#include "http/detail/handler_pool.h"
#include "http/server.h"

namespace berth::http::detail {

class ServerConnection;

struct ServerState {
  ServerState(ServerOptions opts, RouteHandler h)
      : options(std::move(opts)), handler(std::move(h)), pool(options.max_handler_threads) {}

  // Declared first so it is destroyed last: sockets and timers must go before their io_context.
  asio::io_context io;
  ServerOptions options;
  RouteHandler handler;
  HandlerPool pool;
  std::atomic<bool> stopping{false};

  void add(const std::shared_ptr<ServerConnection>& connection);
  void remove(ServerConnection* connection);
  std::vector<std::shared_ptr<ServerConnection>> connections();
  size_t connection_count();

 private:
  std::mutex mu_;
  std::unordered_map<ServerConnection*, std::weak_ptr<ServerConnection>> connections_;
};

}  // namespace berth::http::detail
