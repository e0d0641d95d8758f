#include "net/mac_address.h"

#include <sys/random.h>

#include <fmt/format.h>

namespace berth::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<MacAddress> MacAddress::parse(std::string_view text) {
  MacAddress mac;
  // Six two-digit groups separated by ':' or '-'.
  if (text.size() != 17) {
    return make_error(ErrorCode::kInvalidArgument, "invalid MAC address: {}", text);
  }
  for (size_t i = 0; i < 6; ++i) {
    int hi = hex_value(text[i * 3]);
    int lo = hex_value(text[i * 3 + 1]);
    bool sep_ok = i == 5 || text[i * 3 + 2] == ':' || text[i * 3 + 2] == '-';
    if (hi < 0 || lo < 0 || !sep_ok) {
      return make_error(ErrorCode::kInvalidArgument, "invalid MAC address: {}", text);
    }
    mac.bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return mac;
}

MacAddress MacAddress::random() {
  MacAddress mac;
  ssize_t n = ::getrandom(mac.bytes.data(), mac.bytes.size(), 0);
  (void)n;  // getrandom on 6 bytes does not fail short once the pool is initialised
  mac.bytes[0] = static_cast<uint8_t>((mac.bytes[0] & 0xfe) | 0x02);  // unicast, local
  return mac;
}

MacAddress MacAddress::from_ipv4(const IpAddress& address) {
  MacAddress mac;
  mac.bytes[0] = 0x02;
  mac.bytes[1] = 0x42;
  auto b = address.bytes();
  for (int i = 0; i < 4; ++i) mac.bytes[2 + i] = b[i];
  return mac;
}

bool MacAddress::is_zero() const {
  for (uint8_t b : bytes) {
    if (b) return false;
  }
  return true;
}

std::string MacAddress::to_string() const {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", bytes[0], bytes[1], bytes[2],
                     bytes[3], bytes[4], bytes[5]);
}

}  // namespace berth::net
