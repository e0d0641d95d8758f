#include "http/server.h"

#include <atomic>
#include <condition_variable>
#include <thread>

#include "base/log.h"
#include "http/detail/listener.h"
#include "http/detail/server_connection.h"
#include "http/detail/server_state.h"
#include "http/detail/sync_call.h"

namespace berth::http {

namespace asio = boost::asio;

struct HttpServer::Impl {
  std::shared_ptr<detail::ServerState> state;
  std::vector<std::shared_ptr<detail::Listener>> listeners;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> io_threads;

  std::mutex mu;
  std::condition_variable cv;
  bool stop_started = false;
  bool stopped = false;

  void start_io(int threads) {
    work.emplace(asio::make_work_guard(state->io));
    for (int i = 0; i < std::max(1, threads); ++i) {
      ++io_running;
      io_threads.emplace_back([this] {
        detail::mark_io_thread();
        state->io.run();
        --io_running;
      });
    }
  }

  // Lets the io threads run out of work, then joins them. Every connection has been closed by
  // now, so their operations complete (aborted) and release what they hold; stopping the loop
  // with operations pending would leak them, as they own their connection, which owns the
  // server state, which owns the loop.
  void join_io() {
    work.reset();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (running_io_threads() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (running_io_threads() > 0) {
      log::warn("http: server I/O still busy at shutdown; stopping it");
      state->io.stop();
    }
    for (std::thread& t : io_threads) t.join();
    io_threads.clear();
  }

  int running_io_threads() { return io_running.load(); }
  std::atomic<int> io_running{0};
};

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  stop(std::chrono::milliseconds(0));
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(ServerOptions options, RouteHandler handler) {
  if (options.unix_sockets.empty() && options.tcp_sockets.empty()) {
    return Error(ErrorCode::kInvalidArgument, "http server: no socket to listen on");
  }
  auto impl = std::make_shared<Impl>();
  impl->state = std::make_shared<detail::ServerState>(std::move(options), std::move(handler));
  const ServerOptions& opts = impl->state->options;
  impl->start_io(opts.io_threads);

  auto fail = [&](Error error) -> Error {
    for (auto& listener : impl->listeners) listener->close();
    impl->join_io();
    impl->state->pool.shutdown();
    return error;
  };
  for (const UnixSocketSpec& spec : opts.unix_sockets) {
    auto listener = detail::listen_unix(impl->state, spec);
    if (!listener.ok()) return fail(std::move(listener).error());
    impl->listeners.push_back(listener.take());
  }
  for (const TcpSocketSpec& spec : opts.tcp_sockets) {
    auto listener = detail::listen_tcp(impl->state, spec);
    if (!listener.ok()) return fail(std::move(listener).error());
    impl->listeners.push_back(listener.take());
  }
  for (auto& listener : impl->listeners) {
    listener->start();
    log::debug("http: serving on {}", listener->endpoint());
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::vector<std::string> HttpServer::endpoints() const {
  std::vector<std::string> out;
  for (const auto& listener : impl_->listeners) out.push_back(listener->endpoint());
  return out;
}

uint16_t HttpServer::tcp_port(size_t index) const {
  size_t unix_count = impl_->state->options.unix_sockets.size();
  if (unix_count + index >= impl_->listeners.size()) return 0;
  return impl_->listeners[unix_count + index]->port();
}

size_t HttpServer::open_connections() const {
  return impl_->state->connection_count();
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(impl_->mu);
    if (impl_->stop_started) {
      impl_->cv.wait(lock, [&] { return impl_->stopped; });
      return;
    }
    impl_->stop_started = true;
  }
  auto& state = *impl_->state;
  state.stopping = true;
  for (auto& listener : impl_->listeners) listener->close();
  for (auto& connection : state.connections()) connection->close_if_idle();

  // In-flight requests get the grace period; then every connection is closed, which fails
  // their handlers' I/O and fires on_client_gone, and the handlers are waited for.
  state.pool.wait_idle(std::chrono::steady_clock::now() + grace);
  for (auto& connection : state.connections()) connection->force_close();
  while (!state.pool.wait_idle(std::chrono::steady_clock::now() + std::chrono::seconds(10))) {
    log::warn("http: waiting for request handlers to return");
  }
  impl_->join_io();
  state.pool.shutdown();

  std::lock_guard lock(impl_->mu);
  impl_->stopped = true;
  impl_->cv.notify_all();
}

void HttpServer::wait() {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->stopped; });
}

}  // namespace berth::http
