// Image references as distribution/reference normalises them: "busybox" is
// "docker.io/library/busybox", a missing tag is "latest", and the familiar form drops the
// defaults again.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::cli {

struct ImageReference {
  std::string domain;  // "docker.io", "localhost:5000"
  std::string path;    // "library/busybox"
  std::string tag;     // "" when none
  std::string digest;  // "" when none

  // "docker.io/library/busybox:latest".
  std::string str() const;
  // "busybox:latest".
  std::string familiar() const;
  // Name without tag/digest.
  std::string name() const { return domain + "/" + path; }
  std::string familiar_name() const;
  bool name_only() const { return tag.empty() && digest.empty(); }
};

// reference.ParseNormalizedNamed; errors: "invalid reference format", "invalid reference
// format: repository name (library/Busybox) must be lowercase".
Result<ImageReference> parse_normalized_named(std::string_view text);
// A bare 64-hex id is not a name (reference.ParseAnyReference).
bool is_full_image_id(std::string_view text);

}  // namespace berth::cli
