// `docker load`: images from a docker-archive (manifest.json + repositories, as `docker save`
// writes it, old or new) or an OCI image layout (oci-layout, index.json, blobs/), detected
// from what the archive holds; several images per archive. Every blob is checked against the
// digest and size its name or descriptor claims, and every layer against the config's
// DiffIDs. All images are recorded in one transaction at the end; on any error nothing is
// recorded and whatever was unpacked is garbage-collected: the store is as before.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "image/image_store.h"
#include "image/platform.h"
#include "image/progress.h"
#include "store/stream.h"

namespace berth::image {

struct LoadOptions {
  std::stop_token stop;
  // For OCI layouts with multi-platform indexes: which platform to load (default: the host's).
  std::optional<Platform> platform;
  bool quiet = false;  // no "Loading layer" progress
};

struct LoadResult {
  std::vector<std::string> tags;         // "busybox:latest"
  std::vector<store::Digest> image_ids;  // every image loaded, tagged or not
};

// Progress: "Loading layer" per layer (unless quiet), then Docker's lines as "stream"
// messages: "Loaded image: busybox:latest\n" or "Loaded image ID: sha256:...\n".
Result<LoadResult> load_images(ImageStore& store, store::Reader& archive,
                               const LoadOptions& options, ProgressOutput& progress);

}  // namespace berth::image
