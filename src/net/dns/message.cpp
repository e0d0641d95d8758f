#include "net/dns/message.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace berth::net::dns {
namespace {

// Pointers followed per name at most; each must also point before the previous one, which
// alone rules out loops.
constexpr int kMaxPointerHops = 64;

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

Error malformed(std::string_view why) {
  return Error(ErrorCode::kInvalidArgument, "malformed DNS message: " + std::string(why));
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}

  void skip(size_t n) { pos_ = std::min(pos_ + n, data_.size()); }
  size_t left() const { return data_.size() - pos_; }

  bool u8(uint8_t* out) {
    if (left() < 1) return false;
    *out = data_[pos_++];
    return true;
  }
  bool u16(uint16_t* out) {
    if (left() < 2) return false;
    *out = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(uint32_t* out) {
    uint16_t hi = 0;
    uint16_t lo = 0;
    if (left() < 4) return false;
    u16(&hi);
    u16(&lo);
    *out = (static_cast<uint32_t>(hi) << 16) | lo;
    return true;
  }
  bool bytes(size_t n, std::vector<uint8_t>* out) {
    if (left() < n) return false;
    out->assign(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
                data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return true;
  }

  Result<Name> name() {
    Name out;
    size_t p = pos_;
    size_t limit = pos_;  // pointers must point before this
    size_t wire = 0;
    bool jumped = false;
    int hops = 0;
    for (;;) {
      if (p >= data_.size()) return malformed("name runs past the end");
      uint8_t len = data_[p];
      if ((len & 0xc0) == 0xc0) {
        if (p + 1 >= data_.size()) return malformed("truncated compression pointer");
        size_t target = (static_cast<size_t>(len & 0x3f) << 8) | data_[p + 1];
        if (target >= limit || ++hops > kMaxPointerHops) {
          return malformed("compression pointer does not point backwards");
        }
        if (!jumped) pos_ = p + 2;
        jumped = true;
        limit = target;
        p = target;
        continue;
      }
      if ((len & 0xc0) != 0) return malformed("unsupported label type");
      if (len == 0) {
        if (wire + 1 > kMaxName) return malformed("name longer than 255 bytes");
        if (!jumped) pos_ = p + 1;
        return out;
      }
      if (p + 1 + len > data_.size()) return malformed("label runs past the end");
      wire += 1u + len;
      if (wire + 1 > kMaxName) return malformed("name longer than 255 bytes");
      out.labels.emplace_back(reinterpret_cast<const char*>(data_.data() + p + 1), len);
      p += 1u + len;
    }
  }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    out_.push_back(static_cast<uint8_t>(v >> 8));
    out_.push_back(static_cast<uint8_t>(v & 0xff));
  }
  void u32(uint32_t v) {
    u16(static_cast<uint16_t>(v >> 16));
    u16(static_cast<uint16_t>(v & 0xffff));
  }
  void bytes(const std::vector<uint8_t>& b) { out_.insert(out_.end(), b.begin(), b.end()); }

  void name(const Name& name) {
    for (size_t i = 0; i < name.labels.size(); ++i) {
      std::string key = suffix_key(name, i);
      for (const auto& [k, offset] : suffixes_) {
        if (k == key) {
          u16(static_cast<uint16_t>(0xc000 | offset));
          return;
        }
      }
      if (out_.size() < 0x4000) suffixes_.emplace_back(key, static_cast<uint16_t>(out_.size()));
      const std::string& label = name.labels[i];
      u8(static_cast<uint8_t>(label.size()));
      out_.insert(out_.end(), label.begin(), label.end());
    }
    u8(0);
  }

  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  // Length-prefixed, lower-cased labels from `from` on: unambiguous even with dots in labels.
  static std::string suffix_key(const Name& name, size_t from) {
    std::string key;
    for (size_t i = from; i < name.labels.size(); ++i) {
      key += static_cast<char>(name.labels[i].size());
      key += lower(name.labels[i]);
    }
    return key;
  }

  std::vector<uint8_t> out_;
  std::vector<std::pair<std::string, uint16_t>> suffixes_;
};

void write_record(Writer& w, const Record& r) {
  w.name(r.name);
  w.u16(r.type);
  w.u16(r.klass);
  w.u32(r.ttl);
  w.u16(static_cast<uint16_t>(r.rdata.size()));
  w.bytes(r.rdata);
}

Status read_records(Reader& r, uint16_t count, std::vector<Record>* out) {
  for (uint16_t i = 0; i < count; ++i) {
    // A record needs at least 11 bytes: a root name and ten fixed ones.
    if (r.left() < 11) return malformed("fewer records than counted");
    Record rec;
    rec.name = TRY(r.name());
    uint16_t rdlength = 0;
    if (!r.u16(&rec.type) || !r.u16(&rec.klass) || !r.u32(&rec.ttl) || !r.u16(&rdlength)) {
      return malformed("truncated record");
    }
    if (!r.bytes(rdlength, &rec.rdata)) return malformed("record data runs past the end");
    out->push_back(std::move(rec));
  }
  return ok_status();
}

std::vector<uint8_t> encode_name_uncompressed(const Name& name) {
  std::vector<uint8_t> out;
  for (const auto& label : name.labels) {
    out.push_back(static_cast<uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
  }
  out.push_back(0);
  return out;
}

int hex_digit(char c) {
  c = ascii_lower(c);
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string Name::to_text() const {
  std::string out;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += '.';
    for (char c : labels[i]) {
      auto u = static_cast<unsigned char>(c);
      if (c == '.' || c == '\\') {
        out += '\\';
        out += c;
      } else if (u < 0x21 || u > 0x7e) {
        out += fmt::format("\\{:03d}", u);
      } else {
        out += ascii_lower(c);
      }
    }
  }
  return out;
}

Result<Name> Name::from_text(std::string_view text) {
  Name name;
  if (text.empty() || text == ".") return name;
  std::string label;
  size_t wire = 1;
  auto finish = [&]() -> Status {
    if (label.empty()) return Error(ErrorCode::kInvalidArgument, "empty label in name");
    if (label.size() > kMaxLabel) return Error(ErrorCode::kInvalidArgument, "label too long");
    wire += 1 + label.size();
    if (wire > kMaxName) return Error(ErrorCode::kInvalidArgument, "name too long");
    name.labels.push_back(std::move(label));
    label.clear();
    return ok_status();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 >= text.size()) return Error(ErrorCode::kInvalidArgument, "dangling escape");
      if (i + 3 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
          std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
          std::isdigit(static_cast<unsigned char>(text[i + 3]))) {
        int v = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
        if (v > 255) return Error(ErrorCode::kInvalidArgument, "bad escape");
        label += static_cast<char>(v);
        i += 3;
      } else {
        label += text[++i];
      }
    } else if (c == '.') {
      TRY(finish());
    } else {
      label += c;
    }
  }
  if (!label.empty()) TRY(finish());
  return name;
}

size_t Name::wire_length() const {
  size_t n = 1;
  for (const auto& l : labels) n += 1 + l.size();
  return n;
}

bool Name::equals_ignore_case(const Name& other) const {
  if (labels.size() != other.labels.size()) return false;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (lower(labels[i]) != lower(other.labels[i])) return false;
  }
  return true;
}

uint16_t Message::edns_udp_size() const {
  for (const auto& r : additional) {
    if (r.type == kTypeOpt && r.name.labels.empty()) return r.klass;
  }
  return 0;
}

Result<Header> parse_header(std::span<const uint8_t> data) {
  if (data.size() < kHeaderSize) return malformed("shorter than a header");
  Header h;
  h.id = static_cast<uint16_t>((data[0] << 8) | data[1]);
  h.qr = data[2] & 0x80;
  h.opcode = static_cast<uint8_t>((data[2] >> 3) & 0x0f);
  h.aa = data[2] & 0x04;
  h.tc = data[2] & 0x02;
  h.rd = data[2] & 0x01;
  h.ra = data[3] & 0x80;
  h.ad = data[3] & 0x20;
  h.cd = data[3] & 0x10;
  h.rcode = data[3] & 0x0f;
  h.qdcount = static_cast<uint16_t>((data[4] << 8) | data[5]);
  h.ancount = static_cast<uint16_t>((data[6] << 8) | data[7]);
  h.nscount = static_cast<uint16_t>((data[8] << 8) | data[9]);
  h.arcount = static_cast<uint16_t>((data[10] << 8) | data[11]);
  return h;
}

namespace {

Status read_questions(Reader& r, uint16_t count, std::vector<Question>* out) {
  for (uint16_t i = 0; i < count; ++i) {
    if (r.left() < 5) return malformed("fewer questions than counted");
    Question q;
    q.name = TRY(r.name());
    if (!r.u16(&q.type) || !r.u16(&q.klass)) return malformed("truncated question");
    out->push_back(std::move(q));
  }
  return ok_status();
}

}  // namespace

Result<std::vector<Question>> parse_questions(std::span<const uint8_t> data) {
  auto header = TRY(parse_header(data));
  Reader r(data);
  r.skip(kHeaderSize);
  std::vector<Question> questions;
  TRY(read_questions(r, header.qdcount, &questions));
  return questions;
}

Result<Message> parse_message(std::span<const uint8_t> data) {
  Message m;
  m.header = TRY(parse_header(data));
  Reader r(data);
  r.skip(kHeaderSize);
  TRY(read_questions(r, m.header.qdcount, &m.questions));
  TRY(read_records(r, m.header.ancount, &m.answers));
  TRY(read_records(r, m.header.nscount, &m.authority));
  TRY(read_records(r, m.header.arcount, &m.additional));
  if (r.left() != 0) return malformed("trailing bytes");
  return m;
}

std::vector<uint8_t> encode_message(const Message& message) {
  Writer w;
  const Header& h = message.header;
  w.u16(h.id);
  w.u8(static_cast<uint8_t>((h.qr ? 0x80 : 0) | ((h.opcode & 0x0f) << 3) | (h.aa ? 0x04 : 0) |
                            (h.tc ? 0x02 : 0) | (h.rd ? 0x01 : 0)));
  w.u8(static_cast<uint8_t>((h.ra ? 0x80 : 0) | (h.ad ? 0x20 : 0) | (h.cd ? 0x10 : 0) |
                            (h.rcode & 0x0f)));
  w.u16(static_cast<uint16_t>(message.questions.size()));
  w.u16(static_cast<uint16_t>(message.answers.size()));
  w.u16(static_cast<uint16_t>(message.authority.size()));
  w.u16(static_cast<uint16_t>(message.additional.size()));
  for (const auto& q : message.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.klass);
  }
  for (const auto& r : message.answers) write_record(w, r);
  for (const auto& r : message.authority) write_record(w, r);
  for (const auto& r : message.additional) write_record(w, r);
  return w.take();
}

Record make_address_record(const Name& name, const IpAddress& address, uint32_t ttl) {
  Record r;
  r.name = name;
  r.type = address.is_v4() ? kTypeA : kTypeAaaa;
  r.klass = kClassIn;
  r.ttl = ttl;
  auto b = address.bytes();
  r.rdata.assign(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(address.byte_length()));
  return r;
}

Record make_ptr_record(const Name& name, const Name& target, uint32_t ttl) {
  Record r;
  r.name = name;
  r.type = kTypePtr;
  r.klass = kClassIn;
  r.ttl = ttl;
  r.rdata = encode_name_uncompressed(target);
  return r;
}

Record make_opt_record(uint16_t udp_size) {
  Record r;
  r.type = kTypeOpt;
  r.klass = udp_size;
  return r;
}

Name reverse_name(const IpAddress& address) {
  Name name;
  auto b = address.bytes();
  if (address.is_v4()) {
    for (int i = 3; i >= 0; --i) name.labels.push_back(std::to_string(b[static_cast<size_t>(i)]));
    name.labels.emplace_back("in-addr");
  } else {
    constexpr char kHex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i) {
      name.labels.emplace_back(1, kHex[b[static_cast<size_t>(i)] & 0x0f]);
      name.labels.emplace_back(1, kHex[b[static_cast<size_t>(i)] >> 4]);
    }
    name.labels.emplace_back("ip6");
  }
  name.labels.emplace_back("arpa");
  return name;
}

Result<IpAddress> address_from_reverse_name(const Name& name) {
  auto not_address = [] { return Error(ErrorCode::kNotFound, "not a reverse address name"); };
  const auto& l = name.labels;
  if (l.size() == 6 && lower(l[4]) == "in-addr" && lower(l[5]) == "arpa") {
    uint8_t bytes[4];
    for (int i = 0; i < 4; ++i) {
      const std::string& part = l[static_cast<size_t>(3 - i)];
      if (part.empty() || part.size() > 3) return not_address();
      int v = 0;
      for (char c : part) {
        if (c < '0' || c > '9') return not_address();
        v = v * 10 + (c - '0');
      }
      if (v > 255) return not_address();
      bytes[i] = static_cast<uint8_t>(v);
    }
    return IpAddress::from_bytes(Family::kV4, bytes);
  }
  if (l.size() == 34 && lower(l[32]) == "ip6" && lower(l[33]) == "arpa") {
    uint8_t bytes[16] = {};
    for (size_t i = 0; i < 32; ++i) {
      if (l[i].size() != 1) return not_address();
      int v = hex_digit(l[i][0]);
      if (v < 0) return not_address();
      size_t nibble = 31 - i;  // nibble index from the most significant end
      bytes[nibble / 2] = static_cast<uint8_t>(bytes[nibble / 2] | (nibble % 2 ? v : v << 4));
    }
    return IpAddress::from_bytes(Family::kV6, bytes);
  }
  return not_address();
}

}  // namespace berth::net::dns
