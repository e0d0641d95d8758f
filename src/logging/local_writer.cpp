#include "logging/local_writer.h"

#include <sys/random.h>

#include <chrono>

namespace berth::logging {
namespace {

constexpr size_t kKeepBuffer = size_t{32} * 1024;

// stringid.GenerateRandomID: 32 random bytes as 64 hex digits.
std::string random_id() {
  unsigned char bytes[32] = {};
  if (::getrandom(bytes, sizeof(bytes), 0) != static_cast<ssize_t>(sizeof(bytes))) {
    // Uniqueness within one container's log is all that matters.
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (size_t i = 0; i < sizeof(bytes); ++i)
      bytes[i] = static_cast<unsigned char>(now >> (i % 8 * 8));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xF]);
  }
  return id;
}

}  // namespace

LocalWriter::LocalWriter(RotatingFile file, std::vector<LogAttr> attrs)
    : file_(std::move(file)), attrs_(std::move(attrs)) {}

Status LocalWriter::write(const LogMessage& msg) {
  Sequence& seq = sequences_[msg.stream == Stream::kStderr ? 1 : 0];
  meta_.present = msg.partial || seq.ordinal > 0;
  if (meta_.present) {
    if (seq.ordinal == 0) seq.id = random_id();
    meta_.last = !msg.partial;
    meta_.id = seq.id;
    meta_.ordinal = ++seq.ordinal;
    if (meta_.last) seq.ordinal = 0;
  }
  buf_.clear();
  append_local_record(buf_, msg, meta_, attrs_);
  Status s = file_.write(buf_, msg.time_ns);
  if (buf_.capacity() > kKeepBuffer) std::string().swap(buf_);
  return s;
}

}  // namespace berth::logging
