#include "http/stdcopy.h"

#include <algorithm>
#include <limits>

namespace berth::http {

std::array<char, kStdcopyHeaderSize> stdcopy_header(StdStream stream, uint32_t size) {
  return {static_cast<char>(stream),
          0,
          0,
          0,
          static_cast<char>((size >> 24) & 0xff),
          static_cast<char>((size >> 16) & 0xff),
          static_cast<char>((size >> 8) & 0xff),
          static_cast<char>(size & 0xff)};
}

void stdcopy_append(std::string& out, StdStream stream, std::string_view payload) {
  constexpr size_t kMaxFrame = std::numeric_limits<uint32_t>::max();
  do {
    size_t n = std::min(payload.size(), kMaxFrame);
    auto header = stdcopy_header(stream, static_cast<uint32_t>(n));
    out.append(header.data(), header.size());
    out.append(payload.substr(0, n));
    payload.remove_prefix(n);
  } while (!payload.empty());
}

std::string stdcopy_encode(StdStream stream, std::string_view payload) {
  std::string out;
  out.reserve(kStdcopyHeaderSize + payload.size());
  stdcopy_append(out, stream, payload);
  return out;
}

Status StdcopyDecoder::feed(std::string_view data, const Sink& sink) {
  while (!data.empty()) {
    if (remaining_ == 0) {
      size_t take = std::min(kStdcopyHeaderSize - header_len_, data.size());
      std::copy_n(data.data(), take, header_.begin() + static_cast<ptrdiff_t>(header_len_));
      header_len_ += take;
      data.remove_prefix(take);
      if (header_len_ < kStdcopyHeaderSize) return {};
      header_len_ = 0;
      if (header_[0] > static_cast<unsigned char>(StdStream::kSystemErr)) {
        return make_error(ErrorCode::kDataLoss, "Unrecognized input header: {}", header_[0]);
      }
      stream_ = static_cast<StdStream>(header_[0]);
      remaining_ = (uint32_t{header_[4]} << 24) | (uint32_t{header_[5]} << 16) |
                   (uint32_t{header_[6]} << 8) | uint32_t{header_[7]};
      continue;
    }
    size_t take = std::min<size_t>(remaining_, data.size());
    remaining_ -= static_cast<uint32_t>(take);
    TRY(sink(stream_, data.substr(0, take)));
    data.remove_prefix(take);
  }
  return {};
}

}  // namespace berth::http
