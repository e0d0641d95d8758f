#include "http/detail/wire_format.h"

#include <ctime>

#include <fmt/format.h>

#include "base/log.h"
#include "http/status_text.h"

namespace berth::http::detail {

namespace {

bool is_token_char(unsigned char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
  }
}

void append_fields(std::string& out, const Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (!valid_header_name(name) || !valid_header_value(value)) {
      log::warn("http: dropping invalid header field \"{}\"", name);
      continue;
    }
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace

bool valid_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

bool valid_header_value(std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

std::string response_head(int status, std::string_view reason, const Headers& headers) {
  std::string out =
      fmt::format("HTTP/1.1 {} {}\r\n", status, reason.empty() ? reason_phrase(status) : reason);
  append_fields(out, headers);
  return out;
}

std::string request_head(std::string_view method, std::string_view target, const Headers& headers) {
  std::string out = fmt::format("{} {} HTTP/1.1\r\n", method, target);
  append_fields(out, headers);
  return out;
}

std::string chunk_frame(std::string_view data) {
  std::string out = fmt::format("{:x}\r\n", data.size());
  out.reserve(out.size() + data.size() + 2);
  out += data;
  out += "\r\n";
  return out;
}

std::string http_date(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

}  // namespace berth::http::detail
