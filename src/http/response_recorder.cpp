#include "http/response_recorder.h"

namespace berth::http {

namespace {
Error already_responded() {
  return Error(ErrorCode::kFailedPrecondition, "a response has already been started");
}
}  // namespace

Status ResponseRecorder::send(Response response) {
  std::lock_guard lock(mu_);
  if (responded()) return already_responded();
  status_ = response.status;
  response_headers_ = std::move(response.headers);
  response_headers_.merge_missing(headers_);
  body_ = std::move(response.body);
  return {};
}

Status ResponseRecorder::begin_stream(int status, Headers headers) {
  std::lock_guard lock(mu_);
  if (responded()) return already_responded();
  status_ = status;
  response_headers_ = std::move(headers);
  response_headers_.merge_missing(headers_);
  streaming_ = true;
  return {};
}

Status ResponseRecorder::write_chunk(std::string_view data) {
  std::lock_guard lock(mu_);
  if (!streaming_ || ended_) {
    return Error(ErrorCode::kFailedPrecondition, "write_chunk outside a stream");
  }
  if (gone_) return Error(ErrorCode::kCancelled, "client disconnected");
  if (data.empty()) return {};
  body_.append(data);
  chunks_.emplace_back(data);
  return {};
}

Status ResponseRecorder::end_stream() {
  std::lock_guard lock(mu_);
  if (!streaming_) return Error(ErrorCode::kFailedPrecondition, "end_stream outside a stream");
  ended_ = true;
  return {};
}

Result<std::unique_ptr<HijackedConnection>> ResponseRecorder::hijack(std::string_view, Headers) {
  return Error(ErrorCode::kUnimplemented, "ResponseRecorder cannot hijack");
}

bool ResponseRecorder::client_gone() const {
  std::lock_guard lock(mu_);
  return gone_;
}

void ResponseRecorder::on_client_gone(std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    if (!gone_) {
      gone_callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

void ResponseRecorder::disconnect() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mu_);
    gone_ = true;
    callbacks.swap(gone_callbacks_);
  }
  for (auto& cb : callbacks) cb();
}

Headers ResponseRecorder::response_headers() const {
  std::lock_guard lock(mu_);
  return response_headers_;
}

std::string ResponseRecorder::body() const {
  std::lock_guard lock(mu_);
  return body_;
}

std::vector<std::string> ResponseRecorder::chunks() const {
  std::lock_guard lock(mu_);
  return chunks_;
}

bool ResponseRecorder::streaming() const {
  std::lock_guard lock(mu_);
  return streaming_;
}

bool ResponseRecorder::stream_ended() const {
  std::lock_guard lock(mu_);
  return ended_;
}

}  // namespace berth::http
