// Media types of the OCI image spec (media-types.md) and of Docker's image manifest v2 schema 2,
// and what Berth does with each.
#pragma once

#include <optional>
#include <string_view>

#include "store/archive/compression.h"

namespace berth::image::media {

// OCI.
inline constexpr std::string_view kOciDescriptor = "application/vnd.oci.descriptor.v1+json";
inline constexpr std::string_view kOciLayoutHeader = "application/vnd.oci.layout.header.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kOciLayerNonDistributable =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr std::string_view kOciLayerNonDistributableGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr std::string_view kOciLayerNonDistributableZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";

// Docker.
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
inline constexpr std::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view kDockerLayerZstd =
    "application/vnd.docker.image.rootfs.diff.tar.zstd";
inline constexpr std::string_view kDockerForeignLayerGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
inline constexpr std::string_view kDockerForeignLayer =
    "application/vnd.docker.image.rootfs.foreign.diff.tar";
// Schema 1, refused.
inline constexpr std::string_view kDockerSchema1Manifest =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerSchema1SignedManifest =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";

bool is_index(std::string_view media_type);
bool is_manifest(std::string_view media_type);
bool is_config(std::string_view media_type);
bool is_schema1(std::string_view media_type);
// A layer Berth can unpack (OCI or Docker, plain/gzip/zstd, distributable or not).
bool is_layer(std::string_view media_type);
// Foreign (Docker) or non-distributable (OCI) layers: never pushed, fetched from their urls.
bool is_non_distributable(std::string_view media_type);
// The compression a layer media type declares (nullopt for other media types).
std::optional<store::Compression> layer_compression(std::string_view media_type);
// The layer media type for a compression in a Docker or OCI manifest.
std::string_view layer_media_type(store::Compression compression, bool oci);

// What a registry is asked for when resolving a reference, most preferred first.
inline constexpr std::string_view kManifestAccept[] = {
    kOciIndex,       kDockerManifestList,          kOciManifest,
    kDockerManifest, kDockerSchema1SignedManifest, kDockerSchema1Manifest};

}  // namespace berth::image::media
