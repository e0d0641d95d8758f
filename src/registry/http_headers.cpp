#include "registry/http_headers.h"

#include <strings.h>

#include <algorithm>

namespace berth::registry {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

void HttpHeaders::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void HttpHeaders::remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return same_name(f.first, name); });
}

std::optional<std::string> HttpHeaders::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (same_name(n, name)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> HttpHeaders::get_all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : fields_) {
    if (same_name(n, name)) out.push_back(v);
  }
  return out;
}

}  // namespace berth::registry
