#include "cli/opts/volume_spec.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace berth::cli {
namespace {

bool is_windows_drive(std::string_view buffer, char c) {
  return c == ':' && buffer.size() == 1 && std::isalpha(static_cast<unsigned char>(buffer[0]));
}

bool is_file_path(std::string_view source) {
  switch (source[0]) {
    case '.':
    case '/':
    case '~': return true;
  }
  if (source.size() == 1) return false;
  if (source.starts_with("\\\\")) return true;
  return is_windows_drive(source.substr(0, 1), source[1]);
}

}  // namespace

Result<VolumeSpec> parse_volume_spec(std::string_view spec) {
  VolumeSpec v;
  if (spec.empty()) return Error(ErrorCode::kInvalidArgument, "invalid empty volume spec");
  if (spec.size() <= 2) {
    v.target = std::string(spec);
    v.type = "volume";
    return v;
  }
  std::string buffer;
  auto populate = [&](bool end) -> Status {
    auto fail = [&](const char* why) {
      return make_error(ErrorCode::kInvalidArgument, "invalid spec: {}: {}", spec, why);
    };
    if (buffer.empty()) return fail("empty section between colons");
    if (v.source.empty() && end) {
      v.target = buffer;
    } else if (v.source.empty()) {
      v.source = buffer;
    } else if (v.target.empty()) {
      v.target = buffer;
    } else if (!end) {
      return fail("too many colons");
    } else {
      for (const auto& option : split(buffer, ',')) {
        if (option == "ro") v.read_only = true;
        if (option == "rw") v.read_only = false;
      }
    }
    return ok_status();
  };
  for (size_t i = 0; i <= spec.size(); ++i) {
    bool end = i == spec.size();
    char c = end ? '\0' : spec[i];
    if (!end && is_windows_drive(buffer, c)) {
      buffer += c;
    } else if (c == ':' || end) {
      TRY(populate(end));
      buffer.clear();
    } else {
      buffer += c;
    }
  }
  v.type = v.source.empty() || !is_file_path(v.source) ? "volume" : "bind";
  return v;
}

}  // namespace berth::cli
