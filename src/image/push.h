// Pushing images to a registry, as `docker push` does: the layers (from the content store,
// 5 at a time; HEAD-checked, cross-repository mounted when the blob is known to be in another
// repository of the same registry; foreign layers skipped), then the config, then the
// manifest. The manifest is the one the image came with when all its blobs are here (so a
// pulled image keeps its digest); otherwise one is built in the image's format (Docker v2
// schema 2, or OCI for images that came as OCI), compressing layers with gzip where needed.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "image/image_store.h"
#include "image/progress.h"
#include "image/reference.h"
#include "image/registry_api.h"

namespace berth::image {

struct PushOptions {
  int max_concurrent_uploads = 5;
  std::stop_token stop;
};

struct PushedTag {
  std::string tag;
  store::Digest digest;
  int64_t size = 0;
};

// Pushes `ref`'s tag, or every local tag of its repository when it has none.
Result<std::vector<PushedTag>> push_image(ImageStore& store, RegistryApi& registry,
                                          const Reference& ref, const PushOptions& options,
                                          ProgressOutput& progress);

}  // namespace berth::image
