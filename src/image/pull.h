// Pulling an image from a registry into the image store, as `docker pull` does:
//
//   resolve the reference -> pick the platform's manifest from an index -> fetch the config ->
//   download the missing layers in parallel (3 at a time), each streamed into the content
//   store and, through a LayerPipe, into its unpack at the same time -> verify every layer's
//   DiffID against the config -> record the image, its tag and repo digest in one transaction.
//
// A failure or cancellation leaves the store as it was: nothing is recorded, and the blobs and
// layers the pull created are garbage-collected before it returns.
#pragma once

#include <cstddef>
#include <optional>
#include <stop_token>

#include "base/result.h"
#include "image/http_fetch.h"
#include "image/image_store.h"
#include "image/platform.h"
#include "image/progress.h"
#include "image/reference.h"
#include "image/registry_api.h"

namespace berth::image {

struct PullOptions {
  // --platform; unset: the host's, and a single-platform image of another platform is accepted
  // (as Docker does, which only warns when it is run).
  std::optional<Platform> platform;
  int max_concurrent_downloads = 3;
  // Bytes a download may run ahead of its layer's unpack before it detaches (see LayerPipe).
  size_t pipe_capacity = 16 << 20;
  std::stop_token stop;
  // For foreign/non-distributable layers' urls; null: http_fetch.
  UrlFetcher fetch_url;
};

struct PullResult {
  store::Digest image_id;
  store::Digest digest;  // the manifest (or index) digest the reference resolved to
  bool updated = false;  // false: "Image is up to date"
};

// Pulls `ref` (normalised; a reference without tag or digest means :latest) and reports
// progress as Docker's JSON messages.
Result<PullResult> pull_image(ImageStore& store, RegistryApi& registry, const Reference& ref,
                              const PullOptions& options, ProgressOutput& progress);

}  // namespace berth::image
