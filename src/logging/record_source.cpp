#include "logging/record_source.h"

#include <unistd.h>
#include <zlib.h>

#include <cstring>

#include "logging/local_codec.h"

namespace berth::logging {
namespace {

constexpr size_t kReadChunk = size_t{64} * 1024;

class PlainInput final : public ByteInput {
 public:
  PlainInput(int fd, int64_t offset, int64_t limit) : fd_(fd), offset_(offset), limit_(limit) {}
  Result<size_t> read(char* buf, size_t len) override {
    if (limit_ >= 0) {
      if (offset_ >= limit_) return size_t{0};
      len = std::min<size_t>(len, static_cast<size_t>(limit_ - offset_));
    }
    for (;;) {
      ssize_t n = ::pread(fd_, buf, len, offset_);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_error("read log file");
      offset_ += n;
      return static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  int64_t offset_;
  int64_t limit_;
};

class GzipInput final : public ByteInput {
 public:
  explicit GzipInput(int fd) : fd_(fd) {}
  ~GzipInput() override {
    if (started_) inflateEnd(&zs_);
  }
  GzipInput(const GzipInput&) = delete;
  GzipInput& operator=(const GzipInput&) = delete;

  Result<size_t> read(char* buf, size_t len) override {
    if (!started_) {
      if (inflateInit2(&zs_, 15 + 16) != Z_OK) return Error(ErrorCode::kInternal, "inflateInit2");
      in_.resize(kReadChunk);
      started_ = true;
    }
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(len);
    while (!done_ && zs_.avail_out == len) {
      if (zs_.avail_in == 0) {
        ssize_t n = ::pread(fd_, in_.data(), in_.size(), offset_);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno_error("read compressed log file");
        if (n == 0) return Error(ErrorCode::kDataLoss, "compressed log file is truncated");
        offset_ += n;
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(n);
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return make_error(ErrorCode::kDataLoss, "corrupt compressed log file: {}",
                          zs_.msg ? zs_.msg : "inflate failed");
      }
    }
    return len - zs_.avail_out;
  }

 private:
  int fd_;
  int64_t offset_ = 0;
  z_stream zs_{};
  std::string in_;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace

RecordSource::RecordSource(LogFile file, RecordFormat format, std::unique_ptr<ByteInput> input,
                           int64_t skip)
    : file_(std::move(file)), format_(format), input_(std::move(input)), skip_(skip) {}

std::unique_ptr<RecordSource> RecordSource::plain(LogFile file, RecordFormat format, int64_t offset,
                                                  int64_t limit) {
  auto input = std::make_unique<PlainInput>(file.fd.get(), offset, limit);
  return std::unique_ptr<RecordSource>(
      new RecordSource(std::move(file), format, std::move(input), 0));
}

std::unique_ptr<RecordSource> RecordSource::gzip(LogFile file, RecordFormat format, int64_t skip) {
  auto input = std::make_unique<GzipInput>(file.fd.get());
  return std::unique_ptr<RecordSource>(
      new RecordSource(std::move(file), format, std::move(input), skip));
}

std::optional<std::string_view> RecordSource::take() {
  std::string_view rest(buf_.data() + pos_, buf_.size() - pos_);
  if (format_ == RecordFormat::kJsonLines) {
    size_t from = scan_ > pos_ ? scan_ - pos_ : 0;
    const void* nl = std::memchr(rest.data() + from, '\n', rest.size() - from);
    if (nl == nullptr) {
      scan_ = buf_.size();
      return std::nullopt;
    }
    size_t len = static_cast<size_t>(static_cast<const char*>(nl) - rest.data());
    pos_ += len + 1;
    scan_ = pos_;
    return rest.substr(0, len);
  }
  if (rest.size() < kLocalFrameOverhead) return std::nullopt;
  uint32_t len = read_be32(rest.data());
  if (rest.size() < len + kLocalFrameOverhead) return std::nullopt;
  pos_ += len + kLocalFrameOverhead;
  return rest.substr(4, len);
}

Result<std::optional<std::string_view>> RecordSource::next() {
  for (;;) {
    if (format_ == RecordFormat::kLocalFrames && buf_.size() - pos_ >= 4) {
      uint32_t len = read_be32(buf_.data() + pos_);
      if (len > kLocalMaxEntry)
        return make_error(ErrorCode::kDataLoss, "log message is too large ({} > {}) in {}", len,
                          kLocalMaxEntry, file_.name);
      if (buf_.size() - pos_ >= len + kLocalFrameOverhead &&
          read_be32(buf_.data() + pos_ + 4 + len) != len)
        return make_error(ErrorCode::kDataLoss,
                          "log message header and footer indicate different sizes in {}",
                          file_.name);
    }
    if (auto rec = take()) {
      if (skip_ > 0) {
        --skip_;
        continue;
      }
      return rec;
    }
    // Keep the buffer from growing without bound: drop what was consumed.
    if (pos_ > 0) {
      buf_.erase(0, pos_);
      scan_ -= std::min(scan_, pos_);
      pos_ = 0;
    }
    size_t old = buf_.size();
    buf_.resize(old + kReadChunk);
    auto n = input_->read(buf_.data() + old, kReadChunk);
    if (!n.ok()) {
      buf_.resize(old);
      return std::move(n).error();
    }
    buf_.resize(old + *n);
    if (*n == 0) {
      if (buf_.empty()) std::string().swap(buf_);  // an idle follower holds no buffer
      return std::optional<std::string_view>();
    }
  }
}

Result<int64_t> count_gzip_records(const LogFile& file, RecordFormat format) {
  LogFile copy;
  copy.name = file.name;
  copy.fd = UniqueFd(::dup(file.fd.get()));
  if (!copy.fd) return errno_error("dup");
  auto source = RecordSource::gzip(std::move(copy), format, 0);
  int64_t count = 0;
  for (;;) {
    auto rec = TRY(source->next());
    if (!rec) return count;
    ++count;
  }
}

}  // namespace berth::logging
