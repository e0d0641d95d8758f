#include "image/media_types.h"

namespace berth::image::media {

bool is_index(std::string_view t) {
  return t == kOciIndex || t == kDockerManifestList;
}

bool is_manifest(std::string_view t) {
  return t == kOciManifest || t == kDockerManifest;
}

bool is_config(std::string_view t) {
  return t == kOciConfig || t == kDockerConfig;
}

bool is_schema1(std::string_view t) {
  return t == kDockerSchema1Manifest || t == kDockerSchema1SignedManifest;
}

bool is_layer(std::string_view t) {
  return layer_compression(t).has_value();
}

bool is_non_distributable(std::string_view t) {
  return t == kDockerForeignLayerGzip || t == kDockerForeignLayer ||
         t == kOciLayerNonDistributable || t == kOciLayerNonDistributableGzip ||
         t == kOciLayerNonDistributableZstd;
}

std::optional<store::Compression> layer_compression(std::string_view t) {
  using store::Compression;
  if (t == kOciLayer || t == kDockerLayer || t == kOciLayerNonDistributable ||
      t == kDockerForeignLayer) {
    return Compression::kNone;
  }
  if (t == kOciLayerGzip || t == kDockerLayerGzip || t == kOciLayerNonDistributableGzip ||
      t == kDockerForeignLayerGzip) {
    return Compression::kGzip;
  }
  if (t == kOciLayerZstd || t == kDockerLayerZstd || t == kOciLayerNonDistributableZstd) {
    return Compression::kZstd;
  }
  return std::nullopt;
}

std::string_view layer_media_type(store::Compression compression, bool oci) {
  switch (compression) {
    case store::Compression::kNone: return oci ? kOciLayer : kDockerLayer;
    case store::Compression::kGzip: return oci ? kOciLayerGzip : kDockerLayerGzip;
    case store::Compression::kZstd: return oci ? kOciLayerZstd : kDockerLayerZstd;
  }
  return kOciLayer;
}

}  // namespace berth::image::media
