#include "http/headers.h"

#include <algorithm>

#include "base/strings.h"

namespace berth::http {

namespace {
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Headers::Headers(std::initializer_list<Field> fields) {
  for (const auto& [name, value] : fields) add(name, value);
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view Headers::value(std::string_view name) const {
  return get(name).value_or(std::string_view());
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) out.emplace_back(v);
  }
  return out;
}

bool Headers::has(std::string_view name) const {
  return get(name).has_value();
}

bool Headers::has_token(std::string_view name, std::string_view token) const {
  for (std::string_view v : get_all(name)) {
    for (const std::string& part : split(v, ',')) {
      if (iequals(trim(part), token)) return true;
    }
  }
  return false;
}

void Headers::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

void Headers::merge_missing(const Headers& other) {
  size_t own = fields_.size();
  for (const Field& field : other.fields_) {
    bool present = std::any_of(fields_.begin(), fields_.begin() + static_cast<ptrdiff_t>(own),
                               [&](const Field& f) { return iequals(f.first, field.first); });
    if (!present) add(field.first, field.second);
  }
}

}  // namespace berth::http
