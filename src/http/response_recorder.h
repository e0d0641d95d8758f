// ResponseRecorder: a ResponseWriter that records what a handler did, like Go's
// httptest.ResponseRecorder, so api/ handlers can be tested without sockets.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "http/response_writer.h"

namespace berth::http {

class ResponseRecorder final : public ResponseWriter {
 public:
  Status send(Response response) override;
  Status begin_stream(int status, Headers headers) override;
  Status write_chunk(std::string_view data) override;
  Status flush() override { return {}; }
  Status end_stream() override;
  // Unsupported: returns kUnimplemented.
  Result<std::unique_ptr<HijackedConnection>> hijack(std::string_view content_type,
                                                     Headers headers) override;
  bool client_gone() const override;
  void on_client_gone(std::function<void()> callback) override;

  // Simulates the client disconnecting: later write_chunk calls fail, callbacks run.
  void disconnect();

  // What was recorded. The headers include those added through headers().
  Headers response_headers() const;
  std::string body() const;
  std::vector<std::string> chunks() const;
  bool streaming() const;
  bool stream_ended() const;

 private:
  mutable std::mutex mu_;
  Headers response_headers_;
  std::string body_;
  std::vector<std::string> chunks_;
  bool streaming_ = false;
  bool ended_ = false;
  bool gone_ = false;
  std::vector<std::function<void()>> gone_callbacks_;
};

}  // namespace berth::http
