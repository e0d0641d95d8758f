// Image manifests and indexes: OCI (manifest.md, image-index.md) and Docker's image manifest
// v2 schema 2 and manifest list, which share one shape. Schema 1 is refused.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "image/descriptor.h"

namespace berth::image {

struct ImageManifest {
  int schema_version = 2;
  std::string media_type;  // effective: from the JSON, else the Content-Type, else OCI
  std::string artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;

  bool is_oci() const;
};

struct ImageIndex {
  int schema_version = 2;
  std::string media_type;
  std::string artifact_type;
  std::vector<Descriptor> manifests;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;

  bool is_oci() const;
};

// A manifest blob of either kind.
using AnyManifest = std::variant<ImageManifest, ImageIndex>;

// Parses a manifest or index. `content_type` is what the registry (or a layout's descriptor)
// said; the JSON's own mediaType wins when present. Schema 1 is kUnimplemented with Docker's
// advice; anything else unrecognised is kInvalidArgument.
Result<AnyManifest> parse_any_manifest(std::string_view bytes, std::string_view content_type = "");
Result<ImageManifest> parse_image_manifest(std::string_view bytes,
                                           std::string_view content_type = "");
Result<ImageIndex> parse_image_index(std::string_view bytes, std::string_view content_type = "");

// Compact JSON in the format's field order (what is pushed, and hashed).
std::string serialize_manifest(const ImageManifest& m);
std::string serialize_index(const ImageIndex& index);

// The error pulling a schema 1 image gives.
Error schema1_error(std::string_view reference);

}  // namespace berth::image
