#include "http/body_reader.h"

#include <algorithm>
#include <cstring>

namespace berth::http {

Result<size_t> StringBodyReader::read(char* buf, size_t len) {
  size_t n = std::min(len, data_.size());
  if (n > 0) std::memcpy(buf, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

Result<std::string> read_all(BodyReader& reader, size_t limit) {
  std::string out;
  char buf[16384];
  while (true) {
    size_t n = TRY(reader.read(buf, sizeof(buf)));
    if (n == 0) return out;
    if (out.size() + n > limit) {
      return make_error(ErrorCode::kResourceExhausted, "body larger than {} bytes", limit);
    }
    out.append(buf, n);
  }
}

}  // namespace berth::http
