// ResponseWriter: how a handler answers. Exactly one of
//   (a) send(): a complete response;
//   (b) begin_stream() / write_chunk() / end_stream(): a chunked stream (/events, logs --follow,
//       /images/create progress, stats), write_chunk callable from any thread;
//   (c) hijack(): "101 UPGRADED" (or "200 OK" when the client sent no Upgrade header, as older
//       docker clients do), then the raw connection.
// The server's implementation is private; ResponseRecorder (response_recorder.h) is one for
// handler unit tests.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "http/headers.h"
#include "http/hijacked_connection.h"
#include "http/message.h"

namespace berth::http {

class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;

  // Headers added to whatever response goes out (where the response does not set them itself):
  // middleware puts Api-Version, Docker-Experimental, Ostype, Server here.
  Headers& headers() { return headers_; }
  const Headers& headers() const { return headers_; }

  // (a) A complete response. Fails if a response was already started.
  virtual Status send(Response response) = 0;
  Status send_json(int status, const Json& value) { return send(Response::json(status, value)); }
  // dockerd's error form: {"message": "..."}.
  Status send_error(int status, std::string_view message) {
    return send(Response::error(status, message));
  }
  // An empty response (204, or 200/201 with no body).
  Status send_status(int status) { return send(Response{status, {}, {}}); }

  // (b) Streaming. The head is written at once so the client sees the status before any data.
  virtual Status begin_stream(int status, Headers headers) = 0;
  // Queues one piece of the body. Thread-safe; blocks only while too much is queued (the client
  // reads slower than we produce). Fails once the client has gone away, so loops end.
  virtual Status write_chunk(std::string_view data) = 0;
  // Blocks until everything queued has been written.
  virtual Status flush() = 0;
  // Ends the stream (the terminating chunk). Called for the handler if it returns without.
  virtual Status end_stream() = 0;

  // (c) Hijack. `content_type`: application/vnd.docker.raw-stream or
  // application/vnd.docker.multiplexed-stream. Any unread request body is drained first.
  virtual Result<std::unique_ptr<HijackedConnection>> hijack(std::string_view content_type,
                                                             Headers headers = {}) = 0;

  // True once the client has closed the connection (or it broke). Streams that wait for data
  // (/events with nothing happening) learn it from on_client_gone.
  virtual bool client_gone() const = 0;
  // Runs `callback` once when the client goes away: at once (on this thread) if it already has,
  // else on an I/O thread, so it must not block (signal a condition variable, close a queue).
  virtual void on_client_gone(std::function<void()> callback) = 0;

  // The status sent (0 before any response has started) and whether one has.
  int status() const { return status_.load(); }
  bool responded() const { return status_.load() != 0; }

 protected:
  Headers headers_;
  std::atomic<int> status_{0};
};

}  // namespace berth::http
