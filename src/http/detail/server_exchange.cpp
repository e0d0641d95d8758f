#include "http/detail/server_exchange.h"

#include "http/detail/sync_call.h"
#include "http/detail/wire_format.h"

namespace berth::http::detail {

ServerExchange::ServerExchange(std::shared_ptr<ServerConnection> connection, uint64_t id)
    : connection_(std::move(connection)), id_(id) {}

Status ServerExchange::claim(Mode mode) {
  if (finished_) return Error(ErrorCode::kFailedPrecondition, "the handler has returned");
  Mode expected = Mode::kNone;
  if (!mode_.compare_exchange_strong(expected, mode)) {
    return Error(ErrorCode::kFailedPrecondition, "a response has already been started");
  }
  return {};
}

Status ServerExchange::send(Response response) {
  TRY(claim(Mode::kComplete));
  status_ = response.status;
  response.headers.merge_missing(headers_);
  return sync_call<Status>(
      connection_->executor(),
      [c = connection_, id = id_, r = std::move(response)](auto complete) mutable {
        c->send_response(id, std::move(r), [complete](Status s) { complete(std::move(s)); });
      });
}

Status ServerExchange::begin_stream(int status, Headers headers) {
  TRY(claim(Mode::kStreaming));
  status_ = status;
  headers.merge_missing(headers_);
  if (!headers.has("Date")) headers.set("Date", http_date(std::chrono::system_clock::now()));
  using Framing = ServerConnection::Framing;
  Result<Framing> framing = sync_call<Result<Framing>>(
      connection_->executor(),
      [c = connection_, id = id_, status, h = std::move(headers)](auto complete) mutable {
        c->begin_stream(id, status, std::move(h),
                        [complete](Result<Framing> r) { complete(std::move(r)); });
      });
  if (!framing.ok()) return std::move(framing).error();
  framing_ = *framing;
  return {};
}

Status ServerExchange::write_chunk(std::string_view data) {
  if (mode_ != Mode::kStreaming) {
    return Error(ErrorCode::kFailedPrecondition, "write_chunk outside a stream");
  }
  if (client_gone()) return Error(ErrorCode::kCancelled, "client disconnected");
  if (data.empty()) return {};  // an empty chunk would end the stream
  ServerConnection::Framing framing = framing_;
  if (framing == ServerConnection::Framing::kDiscard) return {};
  std::string bytes =
      framing == ServerConnection::Framing::kChunked ? chunk_frame(data) : std::string(data);
  return connection_->core().write_throttled(std::move(bytes), connection_->high_water());
}

Status ServerExchange::flush() {
  if (mode_ != Mode::kStreaming) return {};
  return connection_->core().write_and_wait({});
}

Status ServerExchange::end_stream() {
  Mode expected = Mode::kStreaming;
  if (!mode_.compare_exchange_strong(expected, Mode::kEnded)) {
    return Error(ErrorCode::kFailedPrecondition, "no stream to end");
  }
  return sync_call<Status>(connection_->executor(), [c = connection_, id = id_](auto complete) {
    c->end_stream(id, [complete](Status s) { complete(std::move(s)); });
  });
}

Result<std::unique_ptr<HijackedConnection>> ServerExchange::hijack(std::string_view content_type,
                                                                   Headers headers) {
  if (mode_ != Mode::kNone) {
    return Error(ErrorCode::kFailedPrecondition, "a response has already been started");
  }
  // Whatever body is left goes first: the raw stream starts after the request.
  char scratch[16384];
  uint64_t drained = 0;
  while (true) {
    size_t n = TRY(read_body(scratch, sizeof(scratch)));
    if (n == 0) break;
    drained += n;
    if (drained > (1u << 20)) {
      return Error(ErrorCode::kInvalidArgument, "hijack: request body too large");
    }
  }
  TRY(claim(Mode::kHijacked));
  status_ = 101;
  using HijackResult = Result<std::unique_ptr<HijackedConnection>>;
  HijackResult result = sync_call<HijackResult>(
      connection_->executor(), [c = connection_, id = id_, type = std::string(content_type),
                                h = std::move(headers)](auto complete) {
        c->hijack(id, type, h, [complete](HijackResult r) { complete(std::move(r)); });
      });
  return result;
}

Result<size_t> ServerExchange::read_body(char* buf, size_t len) {
  if (finished_) return Error(ErrorCode::kFailedPrecondition, "the handler has returned");
  return sync_call<Result<size_t>>(
      connection_->executor(), [c = connection_, id = id_, buf, len](auto complete) {
        c->read_body(id, buf, len, [complete](Result<size_t> r) { complete(std::move(r)); });
      });
}

void ServerExchange::finish() {
  if (finished_.exchange(true)) return;
  asio::post(connection_->executor(), [c = connection_, id = id_] { c->exchange_done(id); });
}

bool ServerExchange::client_gone() const {
  std::lock_guard lock(mu_);
  return gone_;
}

void ServerExchange::on_client_gone(std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    if (!gone_) {
      gone_callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

void ServerExchange::notify_gone() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mu_);
    if (gone_) return;
    gone_ = true;
    callbacks.swap(gone_callbacks_);
  }
  for (auto& cb : callbacks) cb();
}

}  // namespace berth::http::detail
