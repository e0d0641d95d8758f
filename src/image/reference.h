// Image references as Docker reads them (the distribution/reference grammar):
//
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain "/"] path-component ["/" path-component]*
//   domain    := host [":" port]      host: DNS name, IPv4 or [IPv6]
//
// Normalisation (ParseNormalizedNamed): a first component is a domain only if it contains '.'
// or ':', is "localhost", or has uppercase letters; otherwise the domain is docker.io, where
// one-component names get "library/". "busybox" -> "docker.io/library/busybox", shown back to
// people in the familiar form ("busybox:latest", "127.0.0.1:5000/a/b:tag").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/digest.h"

namespace berth::image {

inline constexpr std::string_view kDefaultDomain = "docker.io";
inline constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
inline constexpr std::string_view kOfficialRepoPrefix = "library/";
inline constexpr std::string_view kDefaultTag = "latest";
inline constexpr size_t kNameTotalLengthMax = 255;

class Reference {
 public:
  Reference() = default;

  // Docker's ParseNormalizedNamed: what `docker pull X` accepts. Errors use Docker's wording:
  // "invalid reference format", "invalid reference format: repository name (library/Busybox)
  // must be lowercase", "invalid repository name (<64 hex>), cannot specify 64-byte hexadecimal
  // strings", "repository name must not be more than 255 characters".
  static Result<Reference> parse_normalized(std::string_view text);
  // The strict grammar (Parse): no normalisation; the domain may be empty.
  static Result<Reference> parse(std::string_view text);

  const std::string& domain() const { return domain_; }
  // The repository path within the domain: "library/busybox", "team/app".
  const std::string& path() const { return path_; }
  const std::string& tag() const { return tag_; }
  const std::optional<store::Digest>& digest() const { return digest_; }
  bool has_tag() const { return !tag_.empty(); }
  bool has_digest() const { return digest_.has_value(); }

  // domain/path: "docker.io/library/busybox".
  std::string name() const;
  // name[:tag][@digest]: "docker.io/library/busybox:latest".
  std::string string() const;
  // The name people write: "busybox", "user/app", "127.0.0.1:5000/a/b".
  std::string familiar_name() const;
  // familiar_name()[:tag][@digest].
  std::string familiar_string() const;

  // The same name with this tag (and no digest).
  Reference with_tag(std::string tag) const;
  // The same name with this digest (and no tag).
  Reference with_digest(store::Digest digest) const;
  // The name alone.
  Reference name_only() const;
  // TagNameOnly: adds ":latest" to a reference with neither tag nor digest.
  Reference tag_or_latest() const;

  bool operator==(const Reference&) const = default;

 private:
  std::string domain_;
  std::string path_;
  std::string tag_;
  std::optional<store::Digest> digest_;
};

// A name for an image given on a command line or in an API path: an image ID ("sha256:<hex>"
// or 64 hex digits), or a reference (which may also be a short ID prefix; the store decides).
struct ImageSpecifier {
  std::optional<store::Digest> id;     // set for a full ID
  std::optional<Reference> reference;  // set when the text parses as a reference
  std::string text;                    // as given, for prefix search and messages
};

// ParseAnyReference: 64 hex or a digest is an ID; anything else must be a valid reference.
Result<ImageSpecifier> parse_image_specifier(std::string_view text);

// True for the tag grammar [\w][\w.-]{0,127}.
bool is_valid_tag(std::string_view tag);

}  // namespace berth::image
