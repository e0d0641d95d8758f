#include "image/layer_pipe.h"

#include <algorithm>
#include <cstring>

namespace berth::image {

Status LayerPipe::offer(std::string_view data) {
  if (data.empty()) return {};
  std::unique_lock lock(mutex_);
  while (true) {
    if (abandoned_) return Error(ErrorCode::kCancelled, "layer unpack abandoned");
    if (detached_) return {};
    if (buffered_ + data.size() <= capacity_ || buffered_ == 0) break;
    if (!attached_) {
      // Nobody is reading yet: rather than stall the download, let the unpack use the blob.
      detached_ = true;
      chunks_.clear();
      buffered_ = 0;
      front_offset_ = 0;
      cv_.notify_all();
      return {};
    }
    cv_.wait(lock);
  }
  chunks_.emplace_back(data);
  buffered_ += data.size();
  cv_.notify_all();
  return {};
}

void LayerPipe::skip() {
  std::lock_guard lock(mutex_);
  skipped_ = true;
  detached_ = true;
  chunks_.clear();
  buffered_ = 0;
  front_offset_ = 0;
  cv_.notify_all();
}

bool LayerPipe::skipped() {
  std::lock_guard lock(mutex_);
  return skipped_;
}

void LayerPipe::end_data() {
  std::lock_guard lock(mutex_);
  end_of_data_ = true;
  cv_.notify_all();
}

void LayerPipe::close(Status status) {
  std::lock_guard lock(mutex_);
  closed_ = std::move(status);
  cv_.notify_all();
}

bool LayerPipe::attach() {
  std::lock_guard lock(mutex_);
  if (detached_) return false;
  attached_ = true;
  cv_.notify_all();
  return true;
}

Status LayerPipe::wait_closed() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return closed_.has_value(); });
  return *closed_;
}

void LayerPipe::release() {
  std::lock_guard lock(mutex_);
  detached_ = true;
  chunks_.clear();
  buffered_ = 0;
  front_offset_ = 0;
  cv_.notify_all();
}

void LayerPipe::abandon() {
  std::lock_guard lock(mutex_);
  abandoned_ = true;
  cv_.notify_all();
}

Result<size_t> LayerPipe::read(char* buf, size_t len) {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] {
    return buffered_ > 0 || end_of_data_ || closed_.has_value() || abandoned_ || skipped_;
  });
  if (abandoned_) return Error(ErrorCode::kCancelled, "layer unpack abandoned");
  if (skipped_) return Error(ErrorCode::kUnavailable, "layer comes from the content store");
  // A failed download fails the unpack at once, whatever is still buffered.
  if (closed_ && !closed_->ok()) return closed_->error();
  if (buffered_ == 0) {
    return size_t{0};
  }
  size_t copied = 0;
  while (copied < len && !chunks_.empty()) {
    const std::string& front = chunks_.front();
    size_t n = std::min(len - copied, front.size() - front_offset_);
    std::memcpy(buf + copied, front.data() + front_offset_, n);
    copied += n;
    front_offset_ += n;
    if (front_offset_ == front.size()) {
      chunks_.pop_front();
      front_offset_ = 0;
    }
  }
  buffered_ -= copied;
  cv_.notify_all();
  return copied;
}

}  // namespace berth::image
