// HijackedConnection: the raw, bidirectional byte stream left after "101 UPGRADED" (or the
// pre-1.x "200 OK" form) on attach and exec start. The server hands one to a handler; the
// client returns one from HttpClient::hijack. Bytes the peer sent right after the HTTP head
// (already buffered by the HTTP layer) come first from read().
//
// Threading: one thread may block in read() while another writes. Blocking calls must not be
// made from the callbacks of start_reading/async_write (they run on an I/O thread).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::http {

class HijackedConnection {
 public:
  using DataCallback = std::function<void(std::string_view data)>;
  // Ok at a clean end of stream (the peer closed or half-closed), else the error.
  using DoneCallback = std::function<void(Status status)>;
  using WriteCallback = std::function<void(Status status)>;

  virtual ~HijackedConnection() = default;  // closes the connection

  // Blocks until some bytes arrive; 0 once the peer has closed its write side.
  virtual Result<size_t> read(char* buf, size_t len) = 0;
  // Writes all of `data`; returns once it has been handed to the kernel.
  virtual Status write(std::string_view data) = 0;
  // Half-close (docker's CloseWrite): the peer reads EOF once pending writes are out; reading
  // goes on. Over TLS it shuts down the TCP write side underneath, as docker's client does.
  virtual Status close_write() = 0;
  // Closes both directions; blocked read()/write() calls in other threads return errors.
  virtual void close() = 0;

  // Callback style, for pumping without a thread per direction: `on_data` runs on an I/O
  // thread for each piece that arrives, `on_done` once at the end. Do not mix with read().
  virtual void start_reading(DataCallback on_data, DoneCallback on_done) = 0;
  // Queues `data`; `done` (optional) runs on an I/O thread once written.
  virtual void async_write(std::string data, WriteCallback done) = 0;
};

}  // namespace berth::http
