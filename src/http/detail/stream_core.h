// Private: one connection's byte stream with an ordered write queue, a shared read buffer and
// sticky end/error state. Methods marked "executor" run only on the stream's executor (a
// strand on the server); the others may be called from any thread and post their work.
//
// The server connection uses it for every write and, between requests, for reading ahead
// (which is how it notices a client going away); hijacked connections on both sides are built
// on it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.h"
#include "http/detail/any_stream.h"

namespace berth::http::detail {

class StreamCore : public std::enable_shared_from_this<StreamCore> {
 public:
  using Done = std::function<void(const error_code& ec)>;

  explicit StreamCore(AnyStream stream);
  StreamCore(const StreamCore&) = delete;
  StreamCore& operator=(const StreamCore&) = delete;

  AnyStream& stream() { return stream_; }
  // Bytes read but not yet consumed.
  beast::flat_buffer& buffer() { return buffer_; }
  const asio::any_io_executor& executor() const { return executor_; }

  // --- executor only ---
  // Queues `data` behind earlier writes; `done` (optional) runs after it is written or failed.
  // An empty `data` is a flush marker: `done` runs once everything before it is written.
  void queue_write(std::string data, Done done = nullptr);
  // Reads more bytes into buffer(); `done` runs when that read completes. A read already in
  // flight is shared, never doubled. After end of stream or an error, `done` gets it again.
  void read_more(Done done);
  bool read_in_flight() const { return reading_; }
  // Copies buffered bytes (reading more first if there are none) into `buf`; `done` gets the
  // count, 0 at end of stream.
  void read_into(char* buf, size_t len, std::function<void(Result<size_t>)> done);
  // Calls `on_data` for every byte that arrives until end of stream, error or close, then
  // `on_done` once.
  void read_loop(std::function<void(std::string_view)> on_data,
                 std::function<void(Status)> on_done);
  // Half-close once the queued writes are out.
  void shutdown_send(Done done);
  // Writes what is queued, half-closes, discards input until the peer closes (at most
  // `linger`), then closes: the peer reads the whole response rather than a reset.
  void graceful_close(std::chrono::milliseconds linger);
  // Closes now; queued and outstanding operations fail.
  void close();

  // --- any thread ---
  // Queues `data` once no more than `high_water` bytes are queued; fails if the stream broke.
  Status write_throttled(std::string data, size_t high_water);
  // Queues `data` and waits until it has been written.
  Status write_and_wait(std::string data);
  void close_async();
  // True once a write failed or the stream was closed.
  bool broken() const;

 private:
  struct Pending {
    std::string data;
    Done done;
  };

  void enqueue(std::string data, Done done, bool counted);
  void start_write();
  void on_written(const error_code& ec, size_t items);
  void fail_queue(const error_code& ec);
  void set_broken();
  void drain_until_closed();

  AnyStream stream_;
  asio::any_io_executor executor_;
  beast::flat_buffer buffer_;
  std::deque<Pending> queue_;
  bool writing_ = false;
  bool reading_ = false;
  std::vector<Done> read_waiters_;
  error_code read_error_;  // sticky: eof or the first read error
  error_code write_error_;
  bool closed_ = false;
  std::optional<asio::steady_timer> linger_timer_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  size_t queued_bytes_ = 0;  // guarded by mu_
  bool broken_ = false;      // guarded by mu_
};

Error error_from(const error_code& ec, std::string_view what);

}  // namespace berth::http::detail
