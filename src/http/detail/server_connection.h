// Private: one accepted connection. A state machine on the connection's strand:
//   [TLS handshake] -> read head -> handler on a pool thread (body pulled, response pushed
//   through ServerExchange) -> next head (keep-alive) | graceful close | hijacked.
// While a handler runs and the body has been read, the connection reads ahead: EOF there
// means the client went away (streams stop); data is kept as the next request's start (or,
// after a hijack, the first bytes of the raw stream).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/detail/server_state.h"
#include "http/detail/stream_core.h"
#include "http/message.h"

namespace berth::http::detail {

class ServerExchange;

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(std::shared_ptr<ServerState> server, AnyStream stream, PeerInfo peer);
  ~ServerConnection();

  // --- any thread ---
  void start();
  // At server stop: closes the connection if it waits for a request; otherwise it closes after
  // the current one.
  void close_if_idle();
  // Closes now, failing the handler's I/O and telling it the client is gone.
  void force_close();
  const asio::any_io_executor& executor() const { return core_->executor(); }
  StreamCore& core() { return *core_; }
  size_t high_water() const { return server_->options.stream_high_water_bytes; }

  // --- executor only: the exchange's operations, for exchange `id` ---
  void read_body(uint64_t id, char* buf, size_t len, std::function<void(Result<size_t>)> done);
  void send_response(uint64_t id, Response response, std::function<void(Status)> done);
  // How a stream's body goes on the wire.
  enum class Framing { kChunked, kRaw, kDiscard };
  void begin_stream(uint64_t id, int status, Headers headers,
                    std::function<void(Result<Framing>)> done);
  void end_stream(uint64_t id, std::function<void(Status)> done);
  void hijack(uint64_t id, const std::string& content_type, const Headers& headers,
              std::function<void(Result<std::unique_ptr<HijackedConnection>>)> done);
  void exchange_done(uint64_t id);

 private:
  enum class State { kStarting, kReadingHead, kInHandler, kHijacked, kClosing, kClosed };
  enum class Reply { kNone, kComplete, kStreaming, kStreamEnded, kHijacked };

  void handshake();
  void read_head();
  void on_head(error_code ec);
  void dispatch();
  void reject(int status, std::string_view message);
  // Reads body bytes into buf[got, len); completes with the total once some came.
  void read_body_step(char* buf, size_t len, std::function<void(Result<size_t>)> done, size_t got);
  void watch();
  void on_watch(const error_code& ec);
  void client_gone();
  void close_now();
  void close_gracefully();
  bool must_close() const;
  bool current(uint64_t id) const { return id == exchange_id_ && state_ == State::kInHandler; }

  std::shared_ptr<ServerState> server_;
  std::shared_ptr<StreamCore> core_;
  PeerInfo peer_;
  asio::steady_timer timer_;
  State state_ = State::kStarting;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> parser_;

  // The request in progress.
  uint64_t exchange_id_ = 0;
  std::shared_ptr<ServerExchange> exchange_;
  bool head_request_ = false;
  bool keep_alive_ = true;
  bool expect_continue_ = false;
  bool upgrade_requested_ = false;
  int version_ = 11;
  bool body_done_ = false;
  std::optional<Error> body_error_;
  Reply reply_ = Reply::kNone;
  bool close_after_ = false;
  bool watching_ = false;
  bool next_pending_ = false;
  bool gone_ = false;
};

}  // namespace berth::http::detail
