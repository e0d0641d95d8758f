// `docker import`: a root filesystem tarball (plain, gzip or zstd; from a file, a stream such
// as stdin or an HTTP request body, or an http(s) URL) becomes a one-layer image, with
// `--change` instructions applied to its config and `--message` as its history comment.
//
// The tarball is read once: decompressed, hashed for the DiffID and gzip-compressed into the
// content store on the way (so the image can be pushed and saved as is), then unpacked from
// that blob.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "image/http_fetch.h"
#include "image/image_store.h"
#include "image/platform.h"
#include "image/progress.h"
#include "image/reference.h"
#include "store/stream.h"

namespace berth::image {

struct ImportOptions {
  std::optional<Reference> tag;  // repository[:tag] to give the image
  std::vector<std::string> changes;
  std::string message;               // default: "Imported from <source>"
  std::string source = "-";          // "-", a path or a URL, for the default message
  std::optional<Platform> platform;  // default: the host's
  std::stop_token stop;
  // Clock for the config's "created" (tests fix it); 0: now.
  int64_t created_ns = 0;
};

Result<store::Digest> import_image(ImageStore& store, store::Reader& tarball,
                                   const ImportOptions& options,
                                   ProgressOutput* progress = nullptr);

// Downloads and imports in one stream (the download feeds the import through a bounded pipe).
Result<store::Digest> import_image_from_url(ImageStore& store, const std::string& url,
                                            const ImportOptions& options,
                                            ProgressOutput* progress = nullptr,
                                            const UrlFetcher& fetch = {});

}  // namespace berth::image
