#include "cli/opts/cidr.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "base/strings.h"

namespace berth::cli {
namespace {

std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view text, bool* v4 = nullptr) {
  std::string s(text);
  std::array<uint8_t, 16> out{};
  in_addr a4{};
  if (::inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    if (v4) *v4 = true;
    return out;
  }
  in6_addr a6{};
  if (::inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    if (v4) *v4 = false;
    return out;
  }
  return std::nullopt;
}

}  // namespace

Result<Cidr> parse_cidr(std::string_view text) {
  auto fail = [&] { return make_error(ErrorCode::kInvalidArgument, "invalid CIDR address: {}", text); };
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return fail();
  bool v4 = false;
  auto ip = parse_ip(text.substr(0, slash), &v4);
  auto bits = parse_int(text.substr(slash + 1));
  if (!ip || !bits.ok() || *bits < 0 || *bits > (v4 ? 32 : 128)) return fail();
  Cidr c;
  c.addr = *ip;
  c.prefix = v4 ? *bits + 96 : *bits;
  return c;
}

Result<bool> subnet_matches(std::string_view subnet, std::string_view data) {
  auto net = parse_cidr(subnet);
  if (!net.ok()) {
    return make_error(ErrorCode::kInvalidArgument, "invalid subnet: {}", net.error().message());
  }
  std::optional<std::array<uint8_t, 16>> ip;
  if (data.find('/') != std::string_view::npos) {
    Cidr d = TRY(parse_cidr(data));
    ip = d.addr;
  } else {
    ip = parse_ip(data);
  }
  if (!ip) return false;
  for (int bit = 0; bit < net->prefix; ++bit) {
    int byte = bit / 8;
    uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((net->addr[byte] & mask) != ((*ip)[byte] & mask)) return false;
  }
  return true;
}

}  // namespace berth::cli
