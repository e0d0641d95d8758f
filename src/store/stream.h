// Byte streams: the one Reader/Writer pair every store API takes, so a layer can flow from an
// HTTP body straight into the content store, or from a blob fd into the unpacker, without
// being staged in memory or on disk.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::store {

class Reader {
 public:
  virtual ~Reader() = default;
  // Reads up to `len` bytes; returns 0 only at end of stream.
  virtual Result<size_t> read(char* buf, size_t len) = 0;
};

class Writer {
 public:
  virtual ~Writer() = default;
  // Writes all of `data` or fails.
  virtual Status write(std::string_view data) = 0;
};

// Reads from a borrowed fd (not closed), retrying EINTR.
class FdReader final : public Reader {
 public:
  explicit FdReader(int fd) : fd_(fd) {}
  Result<size_t> read(char* buf, size_t len) override;

 private:
  int fd_;
};

// Writes to a borrowed fd (not closed), retrying short writes and EINTR.
class FdWriter final : public Writer {
 public:
  explicit FdWriter(int fd) : fd_(fd) {}
  Status write(std::string_view data) override;

 private:
  int fd_;
};

// Reads from a string_view that must outlive the reader.
class StringReader final : public Reader {
 public:
  explicit StringReader(std::string_view data) : data_(data) {}
  Result<size_t> read(char* buf, size_t len) override;

 private:
  std::string_view data_;
};

// Appends to a borrowed string.
class StringWriter final : public Writer {
 public:
  explicit StringWriter(std::string* out) : out_(out) {}
  Status write(std::string_view data) override {
    out_->append(data);
    return {};
  }

 private:
  std::string* out_;
};

// Discards everything (for computing digests only).
class NullWriter final : public Writer {
 public:
  Status write(std::string_view) override { return {}; }
};

// Adapts a callback (e.g. an HTTP body reader) to Reader.
class FunctionReader final : public Reader {
 public:
  using Fn = std::function<Result<size_t>(char* buf, size_t len)>;
  explicit FunctionReader(Fn fn) : fn_(std::move(fn)) {}
  Result<size_t> read(char* buf, size_t len) override { return fn_(buf, len); }

 private:
  Fn fn_;
};

// Copies `in` to `out` until end of stream; returns the number of bytes copied.
Result<uint64_t> copy_stream(Reader& in, Writer& out);

}  // namespace berth::store
