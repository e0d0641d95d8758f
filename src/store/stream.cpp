#include "store/stream.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace berth::store {

Result<size_t> FdReader::read(char* buf, size_t len) {
  while (true) {
    ssize_t n = ::read(fd_, buf, len);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return errno_error("read");
  }
}

Status FdWriter::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("write");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<size_t> StringReader::read(char* buf, size_t len) {
  size_t n = std::min(len, data_.size());
  if (n > 0) std::memcpy(buf, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

Result<uint64_t> copy_stream(Reader& in, Writer& out) {
  std::vector<char> buf(128 * 1024);
  uint64_t total = 0;
  while (true) {
    size_t n = TRY(in.read(buf.data(), buf.size()));
    if (n == 0) return total;
    TRY(out.write(std::string_view(buf.data(), n)));
    total += n;
  }
}

}  // namespace berth::store
