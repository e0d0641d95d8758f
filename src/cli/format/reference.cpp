#include "cli/format/reference.h"

#include <regex>

#include <fmt/format.h>

#include "base/strings.h"

namespace berth::cli {
namespace {

Error invalid(std::string m = "invalid reference format") {
  return Error(ErrorCode::kInvalidArgument, std::move(m));
}

bool is_domain(std::string_view first) {
  return first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
         first == "localhost" || (first != to_lower(first));
}

}  // namespace

bool is_full_image_id(std::string_view text) {
  static const std::regex kId("^[a-f0-9]{64}$");
  return std::regex_match(std::string(text), kId);
}

std::string ImageReference::str() const {
  std::string out = name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

std::string ImageReference::familiar_name() const {
  if (domain == "docker.io") {
    if (path.starts_with("library/") && path.find('/', 8) == std::string::npos) {
      return path.substr(8);
    }
    return path;
  }
  return domain + "/" + path;
}

std::string ImageReference::familiar() const {
  std::string out = familiar_name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

Result<ImageReference> parse_normalized_named(std::string_view text) {
  std::string s(text);
  if (is_full_image_id(s)) {
    return invalid(fmt::format(
        "invalid repository name ({}), cannot specify 64-byte hexadecimal strings", s));
  }
  ImageReference ref;
  if (size_t at = s.find('@'); at != std::string::npos) {
    ref.digest = s.substr(at + 1);
    s = s.substr(0, at);
    static const std::regex kDigest("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$");
    if (!std::regex_match(ref.digest, kDigest)) return invalid();
  }
  size_t slash = s.rfind('/');
  size_t colon = s.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.tag = s.substr(colon + 1);
    s = s.substr(0, colon);
    static const std::regex kTag("^[\\w][\\w.-]{0,127}$");
    if (!std::regex_match(ref.tag, kTag)) return invalid();
  }
  if (s.empty()) return invalid();
  size_t first_slash = s.find('/');
  std::string remainder;
  if (first_slash != std::string::npos && is_domain(s.substr(0, first_slash))) {
    ref.domain = s.substr(0, first_slash);
    remainder = s.substr(first_slash + 1);
  } else {
    ref.domain = "docker.io";
    remainder = s;
  }
  if (ref.domain == "index.docker.io") ref.domain = "docker.io";
  if (ref.domain == "docker.io" && remainder.find('/') == std::string::npos) {
    remainder = "library/" + remainder;
  }
  if (remainder != to_lower(remainder)) {
    return invalid(fmt::format("invalid reference format: repository name ({}) must be lowercase",
                               remainder));
  }
  static const std::regex kPath(
      "^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$");
  if (!std::regex_match(remainder, kPath)) return invalid();
  if (ref.domain.size() + 1 + remainder.size() > 255) {
    return invalid("repository name must not be more than 255 characters");
  }
  ref.path = remainder;
  return ref;
}

}  // namespace berth::cli
