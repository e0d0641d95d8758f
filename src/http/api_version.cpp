#include "http/api_version.h"

#include <charconv>

namespace berth::http {

namespace {

// The next numeric field of `v` (0 when absent or not a number, like Go's Atoi error path).
long next_field(std::string_view& v) {
  size_t dot = v.find('.');
  std::string_view field = v.substr(0, dot);
  v = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  long n = 0;
  std::from_chars(field.data(), field.data() + field.size(), n);
  return n;
}

}  // namespace

int compare_api_versions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    long x = next_field(a);
    long y = next_field(b);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

VersionedPath split_version_prefix(std::string_view path) {
  VersionedPath out;
  if (path.size() > 2 && path[0] == '/' && path[1] == 'v') {
    size_t i = 2;
    while (i < path.size() && ((path[i] >= '0' && path[i] <= '9') || path[i] == '.')) ++i;
    // At least one version character, then the end of the path or the next segment.
    if (i > 2 && (i == path.size() || path[i] == '/')) {
      out.version = std::string(path.substr(2, i - 2));
      out.path = i == path.size() ? "/" : std::string(path.substr(i));
      return out;
    }
  }
  out.path = std::string(path);
  return out;
}

}  // namespace berth::http
