#include "http/detail/stream_core.h"

#include "http/detail/sync_call.h"

namespace berth::http::detail {

namespace {

constexpr size_t kReadChunk = size_t{64} * 1024;
// Writes are gathered into one system call, up to this many queued pieces.
constexpr size_t kMaxGather = 64;

Status status_from(const error_code& ec, std::string_view what) {
  if (!ec) return {};
  return error_from(ec, what);
}

}  // namespace

Error error_from(const error_code& ec, std::string_view what) {
  ErrorCode code = ErrorCode::kUnavailable;
  if (ec == asio::error::operation_aborted) code = ErrorCode::kCancelled;
  return Error(code, fmt::format("{}: {}", what, ec.message()));
}

StreamCore::StreamCore(AnyStream stream)
    : stream_(std::move(stream)), executor_(stream_.get_executor()) {}

void StreamCore::queue_write(std::string data, Done done) {
  enqueue(std::move(data), std::move(done), false);
}

void StreamCore::enqueue(std::string data, Done done, bool counted) {
  if (closed_ || write_error_) {
    if (counted) {
      std::lock_guard lock(mu_);
      queued_bytes_ -= data.size();
    }
    cv_.notify_all();
    error_code ec = write_error_ ? write_error_ : error_code(asio::error::operation_aborted);
    if (done) asio::post(executor_, [done = std::move(done), ec] { done(ec); });
    return;
  }
  if (!counted) {
    std::lock_guard lock(mu_);
    queued_bytes_ += data.size();
  }
  queue_.push_back({std::move(data), std::move(done)});
  if (!writing_) start_write();
}

void StreamCore::start_write() {
  std::vector<asio::const_buffer> buffers;
  size_t items = 0;
  for (const Pending& p : queue_) {
    if (items == kMaxGather) break;
    buffers.emplace_back(p.data.data(), p.data.size());
    ++items;
  }
  if (items == 0) return;
  writing_ = true;
  asio::async_write(stream_, buffers,
                    [self = shared_from_this(), items](const error_code& ec, size_t) {
                      self->on_written(ec, items);
                    });
}

void StreamCore::on_written(const error_code& ec, size_t items) {
  writing_ = false;
  std::vector<Done> dones;
  size_t bytes = 0;
  for (size_t i = 0; i < items && !queue_.empty(); ++i) {
    bytes += queue_.front().data.size();
    dones.push_back(std::move(queue_.front().done));
    queue_.pop_front();
  }
  {
    std::lock_guard lock(mu_);
    queued_bytes_ -= bytes;
  }
  cv_.notify_all();
  if (ec) {
    write_error_ = ec;
    set_broken();
    for (Done& d : dones) {
      if (d) d(ec);
    }
    fail_queue(ec);
    return;
  }
  for (Done& d : dones) {
    if (d) d(ec);
  }
  if (!writing_ && !queue_.empty()) start_write();
}

void StreamCore::fail_queue(const error_code& ec) {
  std::deque<Pending> failed;
  failed.swap(queue_);
  size_t bytes = 0;
  for (const Pending& p : failed) bytes += p.data.size();
  {
    std::lock_guard lock(mu_);
    queued_bytes_ -= bytes;
  }
  cv_.notify_all();
  for (Pending& p : failed) {
    if (p.done) p.done(ec);
  }
}

void StreamCore::read_more(Done done) {
  if (read_error_ || closed_) {
    error_code ec = read_error_ ? read_error_ : error_code(asio::error::operation_aborted);
    asio::post(executor_, [done = std::move(done), ec] { done(ec); });
    return;
  }
  read_waiters_.push_back(std::move(done));
  if (reading_) return;
  reading_ = true;
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](const error_code& ec, size_t n) {
                            self->reading_ = false;
                            self->buffer_.commit(n);
                            if (ec && !self->read_error_) self->read_error_ = ec;
                            std::vector<Done> waiters;
                            waiters.swap(self->read_waiters_);
                            for (Done& w : waiters) w(ec);
                          });
}

void StreamCore::read_into(char* buf, size_t len, std::function<void(Result<size_t>)> done) {
  if (buffer_.size() > 0) {
    size_t n = asio::buffer_copy(asio::buffer(buf, len), buffer_.data());
    buffer_.consume(n);
    done(n);
    return;
  }
  if (read_error_) {
    if (is_end_of_stream(read_error_)) {
      done(size_t{0});
    } else {
      done(error_from(read_error_, "read"));
    }
    return;
  }
  if (closed_) {
    done(Error(ErrorCode::kCancelled, "read: connection closed"));
    return;
  }
  read_more([self = shared_from_this(), buf, len, done = std::move(done)](
                const error_code&) mutable { self->read_into(buf, len, std::move(done)); });
}

void StreamCore::read_loop(std::function<void(std::string_view)> on_data,
                           std::function<void(Status)> on_done) {
  if (buffer_.size() > 0) {
    auto data = buffer_.data();
    on_data(std::string_view(static_cast<const char*>(data.data()), data.size()));
    buffer_.consume(data.size());
  }
  if (read_error_ || closed_) {
    if (is_end_of_stream(read_error_)) {
      on_done(Status());
    } else if (read_error_) {
      on_done(error_from(read_error_, "read"));
    } else {
      on_done(Error(ErrorCode::kCancelled, "read: connection closed"));
    }
    return;
  }
  read_more([self = shared_from_this(), on_data = std::move(on_data),
             on_done = std::move(on_done)](const error_code&) mutable {
    self->read_loop(std::move(on_data), std::move(on_done));
  });
}

void StreamCore::shutdown_send(Done done) {
  queue_write({}, [self = shared_from_this(), done = std::move(done)](const error_code& ec) {
    if (!ec) self->stream_.shutdown_send();
    if (done) done(ec);
  });
}

void StreamCore::graceful_close(std::chrono::milliseconds linger) {
  queue_write({}, [self = shared_from_this(), linger](const error_code& ec) {
    if (ec || self->closed_) {
      self->close();
      return;
    }
    self->stream_.shutdown_send();
    self->linger_timer_.emplace(self->executor_);
    self->linger_timer_->expires_after(linger);
    self->linger_timer_->async_wait([self](const error_code& timer_ec) {
      if (!timer_ec) self->close();
    });
    self->drain_until_closed();
  });
}

void StreamCore::drain_until_closed() {
  buffer_.consume(buffer_.size());
  if (read_error_ || closed_) {
    close();
    return;
  }
  read_more([self = shared_from_this()](const error_code&) { self->drain_until_closed(); });
}

void StreamCore::close() {
  if (closed_) return;
  closed_ = true;
  stream_.close();
  if (linger_timer_) linger_timer_->cancel();
  set_broken();
  // Pieces being written are failed by their completion (it still refers to them).
  if (!writing_) fail_queue(asio::error::operation_aborted);
}

void StreamCore::close_async() {
  asio::post(executor_, [self = shared_from_this()] { self->close(); });
}

void StreamCore::set_broken() {
  {
    std::lock_guard lock(mu_);
    broken_ = true;
  }
  cv_.notify_all();
}

bool StreamCore::broken() const {
  std::lock_guard lock(mu_);
  return broken_;
}

Status StreamCore::write_throttled(std::string data, size_t high_water) {
  {
    std::unique_lock lock(mu_);
    // On an I/O thread waiting would stall the writes that free the queue.
    if (!on_io_thread()) {
      cv_.wait(lock, [&] { return broken_ || queued_bytes_ <= high_water; });
    }
    if (broken_) return Error(ErrorCode::kUnavailable, "write: connection closed");
    queued_bytes_ += data.size();
  }
  asio::post(executor_, [self = shared_from_this(), data = std::move(data)]() mutable {
    self->enqueue(std::move(data), nullptr, true);
  });
  return {};
}

Status StreamCore::write_and_wait(std::string data) {
  if (broken()) return Error(ErrorCode::kUnavailable, "write: connection closed");
  return sync_call<Status>(
      executor_, [self = shared_from_this(), data = std::move(data)](auto complete) mutable {
        self->queue_write(std::move(data),
                          [complete](const error_code& ec) { complete(status_from(ec, "write")); });
      });
}

}  // namespace berth::http::detail
