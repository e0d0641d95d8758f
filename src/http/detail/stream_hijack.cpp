#include "http/detail/stream_hijack.h"

#include "http/detail/sync_call.h"

namespace berth::http::detail {

StreamHijackedConnection::StreamHijackedConnection(std::shared_ptr<StreamCore> core,
                                                   std::shared_ptr<void> owner)
    : core_(std::move(core)), owner_(std::move(owner)) {}

StreamHijackedConnection::~StreamHijackedConnection() {
  close();
  // The stream goes before its owner: a client's io_context must outlive the socket on it.
  core_.reset();
  owner_.reset();
}

Result<size_t> StreamHijackedConnection::read(char* buf, size_t len) {
  if (len == 0) return size_t{0};
  return sync_call<Result<size_t>>(core_->executor(), [core = core_, buf, len](auto complete) {
    core->read_into(buf, len, [complete](Result<size_t> n) { complete(std::move(n)); });
  });
}

Status StreamHijackedConnection::write(std::string_view data) {
  if (data.empty()) return {};
  return core_->write_and_wait(std::string(data));
}

Status StreamHijackedConnection::close_write() {
  if (core_->broken()) return Error(ErrorCode::kUnavailable, "close write: connection closed");
  return sync_call<Status>(core_->executor(), [core = core_](auto complete) {
    core->shutdown_send([complete](const error_code& ec) {
      complete(ec ? Status(error_from(ec, "close write")) : Status());
    });
  });
}

void StreamHijackedConnection::close() {
  if (core_) core_->close_async();
}

void StreamHijackedConnection::start_reading(DataCallback on_data, DoneCallback on_done) {
  asio::post(core_->executor(),
             [core = core_, on_data = std::move(on_data), on_done = std::move(on_done)]() mutable {
               core->read_loop(std::move(on_data), std::move(on_done));
             });
}

void StreamHijackedConnection::async_write(std::string data, WriteCallback done) {
  asio::post(core_->executor(),
             [core = core_, data = std::move(data), done = std::move(done)]() mutable {
               core->queue_write(std::move(data), [done = std::move(done)](const error_code& ec) {
                 if (done) done(ec ? Status(error_from(ec, "write")) : Status());
               });
             });
}

IoThread::IoThread(std::unique_ptr<asio::io_context> io)
    : io_(std::move(io)), work_(asio::make_work_guard(*io_)), thread_([io = io_] {
        mark_io_thread();
        io->run();
      }) {}

IoThread::~IoThread() {
  work_.reset();
  // The last owner may let go from one of this thread's own callbacks: it cannot join itself,
  // and it ends on its own once the work runs out.
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

}  // namespace berth::http::detail
