#include "logging/local_codec.h"

#include <algorithm>

namespace berth::logging {
namespace {

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Field sizes for proto3: empty strings and zero scalars are not written.
size_t bytes_field_size(std::string_view v) {
  return v.empty() ? 0 : 1 + varint_size(v.size()) + v.size();
}

void put_bytes_field(std::string& out, int field, std::string_view v) {
  if (v.empty()) return;
  out.push_back(static_cast<char>(field << 3 | 2));
  put_varint(out, v.size());
  out.append(v);
}

void put_be32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

size_t meta_size(const PartialMeta& m) {
  return (m.last ? 2 : 0) + bytes_field_size(m.id) +
         (m.ordinal != 0 ? 1 + varint_size(static_cast<uint64_t>(int64_t{m.ordinal})) : 0);
}

size_t attr_size(const LogAttr& a) {
  return bytes_field_size(a.first) + bytes_field_size(a.second);
}

class ProtoCursor {
 public:
  explicit ProtoCursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  bool varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (i_ >= s_.size()) return false;
      auto b = static_cast<unsigned char>(s_[i_++]);
      *v |= uint64_t{b & 0x7Fu} << shift;
      if (b < 0x80) return true;
    }
    return false;
  }
  bool bytes(std::string_view* v) {
    uint64_t n = 0;
    if (!varint(&n) || n > s_.size() - i_) return false;
    *v = s_.substr(i_, n);
    i_ += n;
    return true;
  }
  bool skip(int wire_type) {
    uint64_t v = 0;
    std::string_view b;
    switch (wire_type) {
      case 0: return varint(&v);
      case 1: return advance(8);
      case 2: return bytes(&b);
      case 5: return advance(4);
      default: return false;
    }
  }

 private:
  bool advance(size_t n) {
    if (n > s_.size() - i_) return false;
    i_ += n;
    return true;
  }
  std::string_view s_;
  size_t i_ = 0;
};

Error bad_entry() {
  return Error(ErrorCode::kDataLoss, "malformed local log entry");
}

}  // namespace

void append_local_record(std::string& out, const LogMessage& msg, const PartialMeta& partial,
                         const std::vector<LogAttr>& attrs) {
  std::string_view line = msg.line;
  if (!msg.partial && !line.empty() && line.back() == '\n') line.remove_suffix(1);
  std::string_view source = stream_name(msg.stream);
  auto time = static_cast<uint64_t>(msg.time_ns);

  size_t size =
      bytes_field_size(source) + (time != 0 ? 1 + varint_size(time) : 0) + bytes_field_size(line);
  if (partial.present) {
    size_t m = meta_size(partial);
    size += 2 + 1 + varint_size(m) + m;  // partial = true, then the metadata message
  }
  for (const LogAttr& a : attrs) {
    size_t n = attr_size(a);
    size += 1 + varint_size(n) + n;
  }

  out.reserve(out.size() + size + kLocalFrameOverhead);
  put_be32(out, static_cast<uint32_t>(size));
  put_bytes_field(out, 1, source);
  if (time != 0) {
    out.push_back(2 << 3);
    put_varint(out, time);
  }
  put_bytes_field(out, 3, line);
  if (partial.present) {
    out.push_back(4 << 3);
    out.push_back(1);
    out.push_back(5 << 3 | 2);
    put_varint(out, meta_size(partial));
    if (partial.last) {
      out.push_back(1 << 3);
      out.push_back(1);
    }
    put_bytes_field(out, 2, partial.id);
    if (partial.ordinal != 0) {
      out.push_back(3 << 3);
      put_varint(out, static_cast<uint64_t>(int64_t{partial.ordinal}));
    }
  }
  for (const LogAttr& a : attrs) {
    out.push_back(6 << 3 | 2);
    put_varint(out, attr_size(a));
    put_bytes_field(out, 1, a.first);
    put_bytes_field(out, 2, a.second);
  }
  put_be32(out, static_cast<uint32_t>(size));
}

Result<LogMessage> parse_local_entry(std::string_view payload) {
  LogMessage msg;
  ProtoCursor cur(payload);
  bool partial = false;
  bool last = false;
  bool have_source = false;
  while (!cur.done()) {
    uint64_t key = 0;
    if (!cur.varint(&key)) return bad_entry();
    int field = static_cast<int>(key >> 3);
    int wire = static_cast<int>(key & 7);
    std::string_view b;
    uint64_t v = 0;
    if (field == 1 && wire == 2) {
      if (!cur.bytes(&b)) return bad_entry();
      if (b == "stdout")
        msg.stream = Stream::kStdout;
      else if (b == "stderr")
        msg.stream = Stream::kStderr;
      else
        return bad_entry();
      have_source = true;
    } else if (field == 2 && wire == 0) {
      if (!cur.varint(&v)) return bad_entry();
      msg.time_ns = static_cast<int64_t>(v);
    } else if (field == 3 && wire == 2) {
      if (!cur.bytes(&b)) return bad_entry();
      msg.line.assign(b);
    } else if (field == 4 && wire == 0) {
      if (!cur.varint(&v)) return bad_entry();
      partial = v != 0;
    } else if (field == 5 && wire == 2) {
      if (!cur.bytes(&b)) return bad_entry();
      ProtoCursor meta(b);
      while (!meta.done()) {
        uint64_t mkey = 0;
        if (!meta.varint(&mkey)) return bad_entry();
        if (mkey == (1 << 3)) {
          if (!meta.varint(&v)) return bad_entry();
          last = v != 0;
        } else if (!meta.skip(static_cast<int>(mkey & 7))) {
          return bad_entry();
        }
      }
    } else if (field == 6 && wire == 2) {
      if (!cur.bytes(&b)) return bad_entry();
      ProtoCursor attr(b);
      LogAttr a;
      while (!attr.done()) {
        uint64_t akey = 0;
        std::string_view s;
        if (!attr.varint(&akey)) return bad_entry();
        if (akey == (1 << 3 | 2) || akey == (2 << 3 | 2)) {
          if (!attr.bytes(&s)) return bad_entry();
          (akey >> 3 == 1 ? a.first : a.second).assign(s);
        } else if (!attr.skip(static_cast<int>(akey & 7))) {
          return bad_entry();
        }
      }
      msg.attrs.push_back(std::move(a));
    } else if (!cur.skip(wire)) {
      return bad_entry();
    }
  }
  if (!have_source) return bad_entry();
  msg.partial = partial && !last;
  if (!msg.partial) msg.line.push_back('\n');
  std::sort(msg.attrs.begin(), msg.attrs.end());
  return msg;
}

}  // namespace berth::logging
