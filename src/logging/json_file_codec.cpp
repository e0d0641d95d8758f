#include "logging/json_file_codec.h"

#include <algorithm>

#include "base/time_format.h"
#include "logging/go_json.h"

namespace berth::logging {
namespace {

Error bad_record(std::string_view why) {
  return make_error(ErrorCode::kDataLoss, "malformed json-file log record: {}", why);
}

// A forward-only cursor over one JSON text; enough JSON for log records (and skipping
// anything unexpected in them).
class JsonCursor {
 public:
  explicit JsonCursor(std::string_view s) : s_(s) {}

  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n'))
      ++i_;
  }
  bool consume(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skip_ws();
    return i_ < s_.size() && s_[i_] == c;
  }
  bool at_end() {
    skip_ws();
    return i_ == s_.size();
  }

  // Decodes a string as Go's decoder does: a \u escape of a lone surrogate becomes U+FFFD.
  bool string(std::string* out) {
    if (!consume('"')) return false;
    if (out) out->clear();
    while (i_ < s_.size()) {
      size_t run = i_;
      while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\') ++i_;
      if (out) out->append(s_.data() + run, i_ - run);
      if (i_ >= s_.size()) return false;
      if (s_[i_] == '"') {
        ++i_;
        return true;
      }
      if (++i_ >= s_.size()) return false;
      char e = s_[i_++];
      char simple = 0;
      switch (e) {
        case '"': simple = '"'; break;
        case '\\': simple = '\\'; break;
        case '/': simple = '/'; break;
        case 'b': simple = '\b'; break;
        case 'f': simple = '\f'; break;
        case 'n': simple = '\n'; break;
        case 'r': simple = '\r'; break;
        case 't': simple = '\t'; break;
        case 'u': break;
        default: return false;
      }
      if (simple != 0) {
        if (out) out->push_back(simple);
        continue;
      }
      uint32_t r = 0;
      if (!hex4(&r)) return false;
      if (r >= 0xD800 && r < 0xDC00) {
        uint32_t lo = 0;
        size_t save = i_;
        if (i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u' && (i_ += 2, hex4(&lo)) &&
            lo >= 0xDC00 && lo < 0xE000) {
          r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
        } else {
          i_ = save;
          r = 0xFFFD;
        }
      } else if (r >= 0xDC00 && r < 0xE000) {
        r = 0xFFFD;
      }
      if (out) append_utf8(*out, r);
    }
    return false;
  }

  // Skips any JSON value.
  bool skip_value() {
    skip_ws();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '"') return string(nullptr);
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++i_;
      if (consume(close)) return true;
      do {
        if (close == '}') {
          if (!string(nullptr) || !consume(':')) return false;
        }
        if (!skip_value()) return false;
      } while (consume(','));
      return consume(close);
    }
    size_t start = i_;
    while (i_ < s_.size() && std::string_view(",]} \t\r\n").find(s_[i_]) == std::string_view::npos)
      ++i_;
    return i_ > start;
  }

 private:
  bool hex4(uint32_t* r) {
    if (i_ + 4 > s_.size()) return false;
    *r = 0;
    for (int k = 0; k < 4; ++k) {
      char h = s_[i_++];
      uint32_t v;
      if (h >= '0' && h <= '9')
        v = h - '0';
      else if (h >= 'a' && h <= 'f')
        v = h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        v = h - 'A' + 10;
      else
        return false;
      *r = *r << 4 | v;
    }
    return true;
  }

  static void append_utf8(std::string& out, uint32_t r) {
    if (r < 0x80) {
      out.push_back(static_cast<char>(r));
    } else if (r < 0x800) {
      out.push_back(static_cast<char>(0xC0 | r >> 6));
      out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
    } else if (r < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | r >> 12));
      out.push_back(static_cast<char>(0x80 | (r >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | r >> 18));
      out.push_back(static_cast<char>(0x80 | (r >> 12 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (r >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

void append_json_log_record(std::string& out, const LogMessage& msg, std::string_view attrs_json) {
  out.push_back('{');
  bool add_newline = !msg.partial && (msg.line.empty() || msg.line.back() != '\n');
  if (!msg.line.empty() || add_newline) {
    out += "\"log\":";
    append_docker_json_string(out, msg.line);
    if (add_newline) {
      out.pop_back();  // the closing quote
      out += "\\n\"";
    }
    out.push_back(',');
  }
  out += "\"stream\":\"";
  out += stream_name(msg.stream);
  out += "\",";
  if (!attrs_json.empty()) {
    out += "\"attrs\":";
    out += attrs_json;
    out.push_back(',');
  }
  out += "\"time\":\"";
  out += format_rfc3339_nano_ns(msg.time_ns);
  out += "\"}\n";
}

Result<LogMessage> parse_json_log_record(std::string_view record, bool want_attrs) {
  JsonCursor cur(record);
  LogMessage msg;
  std::string key;
  std::string value;
  bool have_stream = false;
  if (!cur.consume('{')) return bad_record("not an object");
  if (!cur.consume('}')) {
    do {
      if (!cur.string(&key) || !cur.consume(':')) return bad_record("bad key");
      if (key == "log") {
        if (!cur.string(&msg.line)) return bad_record("bad \"log\"");
      } else if (key == "stream") {
        if (!cur.string(&value)) return bad_record("bad \"stream\"");
        if (value == "stdout")
          msg.stream = Stream::kStdout;
        else if (value == "stderr")
          msg.stream = Stream::kStderr;
        else
          return bad_record("unknown stream");
        have_stream = true;
      } else if (key == "time") {
        if (!cur.string(&value)) return bad_record("bad \"time\"");
        auto t = parse_rfc3339_ns(value);
        if (!t.ok()) return bad_record("bad \"time\"");
        msg.time_ns = *t;
      } else if (key == "attrs" && want_attrs && cur.peek('{')) {
        cur.consume('{');
        if (!cur.consume('}')) {
          do {
            LogAttr attr;
            if (!cur.string(&attr.first) || !cur.consume(':') || !cur.string(&attr.second))
              return bad_record("bad \"attrs\"");
            msg.attrs.push_back(std::move(attr));
          } while (cur.consume(','));
          if (!cur.consume('}')) return bad_record("bad \"attrs\"");
        }
        std::sort(msg.attrs.begin(), msg.attrs.end());
      } else if (!cur.skip_value()) {
        return bad_record("bad value");
      }
    } while (cur.consume(','));
    if (!cur.consume('}')) return bad_record("unterminated object");
  }
  if (!cur.at_end()) return bad_record("trailing data");
  if (!have_stream) return bad_record("no \"stream\"");
  // Docker's writer adds the '\n' only to complete lines; a "log" without one is a piece of a
  // longer line (or the unterminated end of the stream).
  msg.partial = msg.line.empty() || msg.line.back() != '\n';
  return msg;
}

}  // namespace berth::logging
