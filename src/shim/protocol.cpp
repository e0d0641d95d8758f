#include "shim/protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace berth::shim {

void encode_frame(FrameKind kind, std::string_view payload, std::string& out) {
  uint32_t len = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>(kind));
  out.push_back(static_cast<char>((len >> 24) & 0xff));
  out.push_back(static_cast<char>((len >> 16) & 0xff));
  out.push_back(static_cast<char>((len >> 8) & 0xff));
  out.push_back(static_cast<char>(len & 0xff));
  out.append(payload);
}

Result<bool> FrameDecoder::next(FrameKind* kind, std::string* payload) {
  if (buffer_.size() < kFrameHeaderSize) return false;
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(buffer_[i])); };
  uint32_t len = (byte(1) << 24) | (byte(2) << 16) | (byte(3) << 8) | byte(4);
  if (len > kMaxFramePayload) return Error(ErrorCode::kInvalidArgument, "shim frame too large");
  if (byte(0) > static_cast<uint32_t>(FrameKind::kResize))
    return Error(ErrorCode::kInvalidArgument, "unknown shim frame kind");
  if (buffer_.size() < kFrameHeaderSize + len) return false;
  *kind = static_cast<FrameKind>(byte(0));
  payload->assign(buffer_, kFrameHeaderSize, len);
  buffer_.erase(0, kFrameHeaderSize + len);
  return true;
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("write to shim socket");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<std::string> read_line(int fd, std::string* rest) {
  std::string line = rest ? std::move(*rest) : std::string();
  if (rest) rest->clear();
  while (true) {
    size_t nl = line.find('\n');
    if (nl != std::string::npos) {
      if (rest) rest->assign(line, nl + 1, std::string::npos);
      line.resize(nl);
      return line;
    }
    if (line.size() > kMaxFramePayload) return Error(ErrorCode::kInvalidArgument, "shim line too long");
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("read from shim socket");
    }
    if (n == 0) return Error(ErrorCode::kUnavailable, "shim closed the connection");
    line.append(buf, static_cast<size_t>(n));
  }
}

Status write_json_line(int fd, const Json& value) { return write_all(fd, value.dump() + "\n"); }

Result<Json> read_json_line(int fd, std::string* rest) {
  std::string line = TRY(read_line(fd, rest));
  return parse_json(line, "shim message");
}

}  // namespace berth::shim
