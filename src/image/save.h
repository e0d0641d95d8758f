// `docker save`: images to one tar that is both a docker-archive (manifest.json, repositories)
// and an OCI image layout (oci-layout, index.json, blobs/sha256/...), as Docker 25+ writes it.
// Both views name the same blobs: the config, the layers as they are in the content store
// (compressed, as pulled; docker load, skopeo and containerd all decompress them), and an OCI
// manifest per image.
#pragma once

#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "image/image_store.h"
#include "store/stream.h"

namespace berth::image {

struct SaveOptions {
  std::stop_token stop;
};

// `names` as `docker save` takes them: "busybox:latest" (that tag), "busybox" (every tag of the
// repository), an ID or ID prefix (no tags), "name@sha256:..." (no tags).
Status save_images(ImageStore& store, const std::vector<std::string>& names, store::Writer& out,
                   const SaveOptions& options = {});

}  // namespace berth::image
