#include "cli/archive/tar.h"

#include <cstring>
#include <map>

#include <fmt/format.h>

namespace berth::cli {
namespace {

constexpr size_t kBlock = 512;

int64_t parse_octal(const char* p, size_t n) {
  // Base-256 (GNU) for big values.
  if (n > 0 && (static_cast<unsigned char>(p[0]) & 0x80) != 0) {
    int64_t v = static_cast<unsigned char>(p[0]) & 0x7f;
    for (size_t i = 1; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
  }
  int64_t v = 0;
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\0')) ++i;
  for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) v = v * 8 + (p[i] - '0');
  return v;
}

std::string field(const char* p, size_t n) {
  size_t len = strnlen(p, n);
  return std::string(p, len);
}

void put_octal(char* p, size_t n, int64_t v) {
  std::string s = fmt::format("{:0{}o}", v, n - 1);
  std::memcpy(p, s.data(), std::min(s.size(), n - 1));
  p[n - 1] = '\0';
}

// PAX records: "%d %s=%s\n" where the length counts itself.
std::string pax_record(const std::string& key, const std::string& value) {
  size_t base = key.size() + value.size() + 3;
  size_t len = base + std::to_string(base).size();
  if (std::to_string(len).size() + base != len) len = base + std::to_string(len).size();
  return fmt::format("{} {}={}\n", len, key, value);
}

std::map<std::string, std::string> parse_pax(std::string_view data) {
  std::map<std::string, std::string> out;
  while (!data.empty()) {
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos) break;
    size_t len = std::strtoul(std::string(data.substr(0, sp)).c_str(), nullptr, 10);
    if (len == 0 || len > data.size()) break;
    std::string_view rec = data.substr(sp + 1, len - sp - 2);
    size_t eq = rec.find('=');
    if (eq != std::string_view::npos) out[std::string(rec.substr(0, eq))] = std::string(rec.substr(eq + 1));
    data.remove_prefix(len);
  }
  return out;
}

}  // namespace

Status TarReader::read_full(char* buf, size_t len, bool* eof) {
  size_t got = 0;
  while (got < len) {
    size_t n = TRY(in_.read(buf + got, len - got));
    if (n == 0) {
      if (got == 0 && eof != nullptr) {
        *eof = true;
        return ok_status();
      }
      return Error(ErrorCode::kDataLoss, "unexpected EOF");
    }
    got += n;
  }
  return ok_status();
}

Status TarReader::skip(int64_t n) {
  char buf[8192];
  while (n > 0) {
    size_t chunk = static_cast<size_t>(std::min<int64_t>(n, sizeof(buf)));
    TRY(read_full(buf, chunk, nullptr));
    n -= static_cast<int64_t>(chunk);
  }
  return ok_status();
}

Result<std::optional<TarHeader>> TarReader::next() {
  TRY(skip(remaining_ + padding_));
  remaining_ = padding_ = 0;
  std::map<std::string, std::string> pax;
  std::string long_name;
  std::string long_link;
  while (true) {
    char block[kBlock];
    bool eof = false;
    TRY(read_full(block, kBlock, &eof));
    if (eof) return std::optional<TarHeader>();
    bool zero = true;
    for (char c : block) zero = zero && c == '\0';
    if (zero) return std::optional<TarHeader>();
    TarHeader h;
    h.name = field(block, 100);
    h.mode = static_cast<uint32_t>(parse_octal(block + 100, 8));
    h.uid = parse_octal(block + 108, 8);
    h.gid = parse_octal(block + 116, 8);
    h.size = parse_octal(block + 124, 12);
    h.mtime = parse_octal(block + 136, 12);
    h.type = block[156] == '\0' ? '0' : block[156];
    h.linkname = field(block + 157, 100);
    if (std::memcmp(block + 257, "ustar", 5) == 0) {
      h.uname = field(block + 265, 32);
      h.gname = field(block + 297, 32);
      h.devmajor = static_cast<uint32_t>(parse_octal(block + 329, 8));
      h.devminor = static_cast<uint32_t>(parse_octal(block + 337, 8));
      std::string prefix = field(block + 345, 155);
      if (!prefix.empty() && std::memcmp(block + 257, "ustar\0", 6) == 0) {
        h.name = prefix + "/" + h.name;
      }
    }
    int64_t pad = (kBlock - h.size % kBlock) % kBlock;
    if (h.type == 'x' || h.type == 'g' || h.type == 'L' || h.type == 'K') {
      std::string data(static_cast<size_t>(h.size), '\0');
      TRY(read_full(data.data(), data.size(), nullptr));
      TRY(skip(pad));
      if (h.type == 'x') {
        for (auto& [k, v] : parse_pax(data)) pax[k] = v;
      } else if (h.type == 'L') {
        long_name = field(data.data(), data.size());
      } else if (h.type == 'K') {
        long_link = field(data.data(), data.size());
      }
      continue;
    }
    if (!long_name.empty()) h.name = long_name;
    if (!long_link.empty()) h.linkname = long_link;
    if (auto it = pax.find("path"); it != pax.end()) h.name = it->second;
    if (auto it = pax.find("linkpath"); it != pax.end()) h.linkname = it->second;
    if (auto it = pax.find("size"); it != pax.end()) h.size = std::stoll(it->second);
    if (auto it = pax.find("uid"); it != pax.end()) h.uid = std::stoll(it->second);
    if (auto it = pax.find("gid"); it != pax.end()) h.gid = std::stoll(it->second);
    if (auto it = pax.find("mtime"); it != pax.end()) h.mtime = std::stoll(it->second);
    pad = (kBlock - h.size % kBlock) % kBlock;
    bool has_data = h.type == '0' || h.type == '7';
    remaining_ = has_data ? h.size : 0;
    padding_ = has_data ? pad : 0;
    if (!has_data && h.size > 0) {
      // Some writers give sizes to links; skip them.
      TRY(skip(h.size + pad));
    }
    return std::optional<TarHeader>(std::move(h));
  }
}

Result<size_t> TarReader::read(char* buf, size_t len) {
  if (remaining_ == 0) return size_t{0};
  size_t want = static_cast<size_t>(std::min<int64_t>(remaining_, static_cast<int64_t>(len)));
  size_t n = TRY(in_.read(buf, want));
  if (n == 0) return Error(ErrorCode::kDataLoss, "unexpected EOF");
  remaining_ -= static_cast<int64_t>(n);
  return n;
}

Status TarWriter::finish_entry() {
  if (written_ != expected_) {
    return make_error(ErrorCode::kInternal, "tar entry wrote {} of {} bytes", written_, expected_);
  }
  size_t pad = static_cast<size_t>((kBlock - expected_ % kBlock) % kBlock);
  if (pad > 0) TRY(sink_(std::string(pad, '\0')));
  written_ = expected_ = 0;
  return ok_status();
}

Status TarWriter::write_header(const TarHeader& h) {
  TRY(finish_entry());
  std::string pax;
  if (h.name.size() > 100) pax += pax_record("path", h.name);
  if (h.linkname.size() > 100) pax += pax_record("linkpath", h.linkname);
  if (h.size > 077777777777LL) pax += pax_record("size", std::to_string(h.size));
  auto header_block = [](const TarHeader& e) {
    std::string block(kBlock, '\0');
    char* b = block.data();
    std::memcpy(b, e.name.data(), std::min<size_t>(e.name.size(), 100));
    put_octal(b + 100, 8, e.mode & 07777);
    put_octal(b + 108, 8, e.uid);
    put_octal(b + 116, 8, e.gid);
    put_octal(b + 124, 12, e.size > 077777777777LL ? 0 : e.size);
    put_octal(b + 136, 12, e.mtime);
    b[156] = e.type;
    std::memcpy(b + 157, e.linkname.data(), std::min<size_t>(e.linkname.size(), 100));
    std::memcpy(b + 257, "ustar\0" "00", 8);
    std::memcpy(b + 265, e.uname.data(), std::min<size_t>(e.uname.size(), 31));
    std::memcpy(b + 297, e.gname.data(), std::min<size_t>(e.gname.size(), 31));
    put_octal(b + 329, 8, e.devmajor);
    put_octal(b + 337, 8, e.devminor);
    std::memset(b + 148, ' ', 8);
    unsigned sum = 0;
    for (char c : block) sum += static_cast<unsigned char>(c);
    std::string chk = fmt::format("{:06o}", sum);
    std::memcpy(b + 148, chk.data(), 6);
    b[154] = '\0';
    b[155] = ' ';
    return block;
  };
  if (!pax.empty()) {
    TarHeader ph;
    ph.name = "PaxHeaders/" + h.name.substr(0, 80);
    ph.type = 'x';
    ph.size = static_cast<int64_t>(pax.size());
    ph.mtime = h.mtime;
    TRY(sink_(header_block(ph)));
    TRY(sink_(pax));
    size_t pad = (kBlock - pax.size() % kBlock) % kBlock;
    if (pad > 0) TRY(sink_(std::string(pad, '\0')));
  }
  TRY(sink_(header_block(h)));
  expected_ = (h.type == '0' || h.type == '7') ? h.size : 0;
  written_ = 0;
  return ok_status();
}

Status TarWriter::write(std::string_view data) {
  written_ += static_cast<int64_t>(data.size());
  return sink_(data);
}

Status TarWriter::close() {
  TRY(finish_entry());
  return sink_(std::string(kBlock * 2, '\0'));
}

}  // namespace berth::cli
