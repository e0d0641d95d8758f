// Content descriptors (OCI descriptor.md): what a manifest or index says about a blob.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "image/platform.h"
#include "store/digest.h"

namespace berth::image {

struct Descriptor {
  std::string media_type;
  store::Digest digest;
  int64_t size = 0;
  std::vector<std::string> urls;
  std::map<std::string, std::string> annotations;
  std::optional<Platform> platform;  // in an index only
  std::string artifact_type;
  std::optional<std::string> data;  // embedded content, base64 as in the JSON

  bool operator==(const Descriptor&) const = default;
};

// Reads a descriptor at `path` (for error messages). Requires mediaType, a valid digest and a
// non-negative size; urls must be http(s).
Result<Descriptor> parse_descriptor(const Json& json, std::string_view path);
Result<Platform> parse_platform_json(const Json& json, std::string_view path);

// Serialises in the field order of the format's Go types: Docker (distribution) writes
// mediaType, size, digest, ...; OCI (image-spec) mediaType, digest, size, ...
OrderedJson descriptor_json(const Descriptor& d, bool oci);
OrderedJson platform_json(const Platform& p);

}  // namespace berth::image
