// Internal, for `load`: unpacks an image archive (plain, gzip or zstd tar) into a private
// staging directory, because a docker-archive's manifest.json or an OCI layout's index.json
// may come after the blobs it names. The archive is untrusted: absolute names, "..", hard
// links, devices and symlinks that point outside are refused (kPermissionDenied /
// kInvalidArgument, "invalid archive: ..."), and nothing is written through a symlink.
#pragma once

#include <stop_token>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"
#include "store/stream.h"

namespace berth::image {

Status stage_archive(store::Reader& archive, int dest_dir_fd, const std::stop_token& stop);

// Opens a staged file by its archive path; symlinks are followed, but only within the root.
Result<UniqueFd> open_staged(int root_fd, std::string_view path);
bool staged_exists(int root_fd, std::string_view path);
// A small staged file (JSON), read whole; kResourceExhausted above `max`.
Result<std::string> read_staged(int root_fd, std::string_view path, size_t max);

}  // namespace berth::image
