#include "http/query.h"

#include <algorithm>

#include "base/strings.h"

namespace berth::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

void append_escaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

}  // namespace

Result<std::string> percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return make_error(ErrorCode::kInvalidArgument, "invalid URL escape \"{}\"",
                          s.substr(i, std::min<size_t>(3, s.size() - i)));
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string query_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

std::string path_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool keep =
        is_unreserved(c) || c == ':' || c == '@' || c == '&' || c == '=' || c == '+' || c == '$';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      append_escaped(out, c);
    }
  }
  return out;
}

Result<QueryParams> QueryParams::parse(std::string_view query) {
  QueryParams params;
  for (const std::string& part : split(query, '&')) {
    if (part.empty()) continue;
    auto [raw_key, raw_value] = split_once(part, '=');
    std::string key = TRY(percent_decode(raw_key, true));
    std::string value = TRY(percent_decode(raw_value, true));
    params.pairs_.emplace_back(std::move(key), std::move(value));
  }
  return params;
}

bool QueryParams::has(std::string_view key) const {
  return get(key).has_value();
}

std::optional<std::string_view> QueryParams::get(std::string_view key) const {
  for (const auto& [k, v] : pairs_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view QueryParams::value(std::string_view key, std::string_view fallback) const {
  return get(key).value_or(fallback);
}

std::vector<std::string_view> QueryParams::get_all(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : pairs_) {
    if (k == key) out.emplace_back(v);
  }
  return out;
}

bool QueryParams::get_bool(std::string_view key) const {
  std::string v = to_lower(trim(value(key)));
  return !(v.empty() || v == "0" || v == "no" || v == "false" || v == "none");
}

bool QueryParams::get_bool(std::string_view key, bool fallback) const {
  return has(key) ? get_bool(key) : fallback;
}

Result<int64_t> QueryParams::get_int(std::string_view key, int64_t fallback) const {
  std::string_view v = value(key);
  if (v.empty()) return fallback;
  auto parsed = parse_int64(v);
  if (!parsed.ok()) {
    return make_error(ErrorCode::kInvalidArgument, "invalid value for {}: \"{}\"", key, v);
  }
  return *parsed;
}

void QueryParams::add(std::string_view key, std::string_view value) {
  pairs_.emplace_back(std::string(key), std::string(value));
}

void QueryParams::set(std::string_view key, std::string_view value) {
  std::erase_if(pairs_, [&](const auto& p) { return p.first == key; });
  add(key, value);
}

std::string QueryParams::encode() const {
  // Stable sort by key keeps repeated keys in insertion order, like url.Values.Encode.
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(pairs_.size());
  for (const auto& p : pairs_) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string out;
  for (const auto* p : sorted) {
    if (!out.empty()) out += '&';
    out += query_escape(p->first);
    out += '=';
    out += query_escape(p->second);
  }
  return out;
}

}  // namespace berth::http
