// BodyReader: a pull-based byte source for HTTP bodies (request bodies on the server, upload
// bodies and response bodies on the client). Same shape as store::Reader, so adapting one to the
// other is a one-line FunctionReader.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::http {

class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Reads up to `len` bytes into `buf`; returns 0 only at the end of the body.
  virtual Result<size_t> read(char* buf, size_t len) = 0;
};

// Reads from a string_view that must outlive the reader.
class StringBodyReader final : public BodyReader {
 public:
  explicit StringBodyReader(std::string_view data) : data_(data) {}
  Result<size_t> read(char* buf, size_t len) override;

 private:
  std::string_view data_;
};

// Adapts a callable.
class FunctionBodyReader final : public BodyReader {
 public:
  using Fn = std::function<Result<size_t>(char* buf, size_t len)>;
  explicit FunctionBodyReader(Fn fn) : fn_(std::move(fn)) {}
  Result<size_t> read(char* buf, size_t len) override { return fn_(buf, len); }

 private:
  Fn fn_;
};

// Reads `reader` to its end; fails with kResourceExhausted once more than `limit` bytes come.
Result<std::string> read_all(BodyReader& reader, size_t limit);

}  // namespace berth::http
