#include "sys/mountinfo.h"

#include <limits.h>
#include <stdlib.h>

#include <algorithm>

#include "base/file_util.h"

namespace berth::sys {
namespace {

bool is_octal(char c) { return c >= '0' && c <= '7'; }

// Whether `mount_point` is `path` or an ancestor directory of it.
bool holds(std::string_view mount_point, std::string_view path) {
  if (mount_point == "/") return true;
  if (!path.starts_with(mount_point)) return false;
  return path.size() == mount_point.size() || path[mount_point.size()] == '/';
}

}  // namespace

std::string unescape_mountinfo_field(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) &&
        is_octal(field[i + 2]) && is_octal(field[i + 3])) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
      continue;
    }
    out.push_back(field[i]);
  }
  return out;
}

std::string containing_mount_point(std::string_view mountinfo, std::string_view path) {
  std::string best;
  while (!mountinfo.empty()) {
    size_t end = mountinfo.find('\n');
    std::string_view line = mountinfo.substr(0, end);
    mountinfo = end == std::string_view::npos ? std::string_view() : mountinfo.substr(end + 1);
    // id parent major:minor root mount-point ...: the fifth field.
    size_t start = 0;
    for (int field = 0; field < 4 && start != std::string_view::npos; ++field) {
      start = line.find(' ', start);
      if (start != std::string_view::npos) ++start;
    }
    if (start == std::string_view::npos) continue;
    std::string point = unescape_mountinfo_field(line.substr(start, line.find(' ', start) - start));
    // ">=": of mounts stacked on one mount point, the later line is the one on top.
    if (holds(point, path) && point.size() >= best.size()) best = std::move(point);
  }
  return best;
}

Result<std::string> containing_mount_point(const std::string& path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) return errno_error("realpath " + path);
  std::string mountinfo = TRY(read_file("/proc/self/mountinfo"));
  std::string point = containing_mount_point(mountinfo, resolved);
  if (point.empty()) return make_error(ErrorCode::kNotFound, "no mount holds {}", path);
  return point;
}

}  // namespace berth::sys
