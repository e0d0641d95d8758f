// Private: the ResponseWriter (and request BodyReader) a handler gets for one request. Runs on
// the handler's thread and forwards each operation to the connection's strand, blocking until
// it is done; write_chunk only queues.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "http/body_reader.h"
#include "http/detail/server_connection.h"
#include "http/response_writer.h"

namespace berth::http::detail {

class ServerExchange final : public ResponseWriter,
                             public std::enable_shared_from_this<ServerExchange> {
 public:
  ServerExchange(std::shared_ptr<ServerConnection> connection, uint64_t id);

  Status send(Response response) override;
  Status begin_stream(int status, Headers headers) override;
  Status write_chunk(std::string_view data) override;
  Status flush() override;
  Status end_stream() override;
  Result<std::unique_ptr<HijackedConnection>> hijack(std::string_view content_type,
                                                     Headers headers) override;
  bool client_gone() const override;
  void on_client_gone(std::function<void()> callback) override;

  Result<size_t> read_body(char* buf, size_t len);
  // The handler returned: let the connection finish the response and move on.
  void finish();
  // From the connection's strand: the client went away.
  void notify_gone();

 private:
  enum class Mode { kNone, kComplete, kStreaming, kEnded, kHijacked };
  Status claim(Mode mode);

  std::shared_ptr<ServerConnection> connection_;
  const uint64_t id_;
  std::atomic<Mode> mode_{Mode::kNone};
  std::atomic<ServerConnection::Framing> framing_{ServerConnection::Framing::kChunked};
  std::atomic<bool> finished_{false};
  mutable std::mutex mu_;
  bool gone_ = false;
  std::vector<std::function<void()>> gone_callbacks_;
};

// The Request's body source: pulls through the exchange.
class ExchangeBodyReader final : public BodyReader {
 public:
  explicit ExchangeBodyReader(std::shared_ptr<ServerExchange> exchange)
      : exchange_(std::move(exchange)) {}
  Result<size_t> read(char* buf, size_t len) override { return exchange_->read_body(buf, len); }

 private:
  std::shared_ptr<ServerExchange> exchange_;
};

}  // namespace berth::http::detail
