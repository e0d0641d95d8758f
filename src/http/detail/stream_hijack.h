// Private: HijackedConnection over a StreamCore, used by the server (after 101/200) and by the
// client (after reading the 101/200). `owner` keeps alive what the stream depends on (the
// server connection; the client's io thread and io_context) and is released last.
#pragma once

#include <memory>
#include <thread>

#include "http/detail/stream_core.h"
#include "http/hijacked_connection.h"

namespace berth::http::detail {

class StreamHijackedConnection final : public HijackedConnection {
 public:
  StreamHijackedConnection(std::shared_ptr<StreamCore> core, std::shared_ptr<void> owner);
  ~StreamHijackedConnection() override;

  Result<size_t> read(char* buf, size_t len) override;
  Status write(std::string_view data) override;
  Status close_write() override;
  void close() override;
  void start_reading(DataCallback on_data, DoneCallback on_done) override;
  void async_write(std::string data, WriteCallback done) override;

 private:
  std::shared_ptr<StreamCore> core_;
  std::shared_ptr<void> owner_;
};

// Owns an io_context and the thread running it, for a client stream that has become
// bidirectional. Destroying it waits for the thread, which ends once no work remains.
class IoThread {
 public:
  explicit IoThread(std::unique_ptr<asio::io_context> io);
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

 private:
  // Shared with the thread, which may outlive this object when detached.
  std::shared_ptr<asio::io_context> io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace berth::http::detail
