// The values the registry client takes and returns.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "store/digest.h"

namespace berth::registry {

// A repository on a registry. `registry` is "docker.io" (served by registry-1.docker.io),
// "ghcr.io", "127.0.0.1:5000"; `path` is "library/busybox".
struct Repository {
  std::string registry;
  std::string path;

  std::string to_string() const { return registry + "/" + path; }
  bool operator==(const Repository&) const = default;
};

struct Manifest {
  std::string media_type;  // from Content-Type (or the document's mediaType when that is vague)
  store::Digest digest;    // of `bytes`, verified
  std::string bytes;
};

// What a HEAD on a manifest tells without downloading it.
struct ManifestInfo {
  std::string media_type;
  store::Digest digest;  // from Docker-Content-Digest; empty if the registry did not send one
  int64_t size = -1;
};

struct Progress {
  std::string id;  // the short digest: the first 12 hex characters
  std::string
      status;  // "Downloading", "Verifying Checksum", "Download complete", "Pushing",
               // "Pushed", "Layer already exists", "Mounted from x", "Retrying in N seconds"
  int64_t current = 0;
  int64_t total = 0;
};
// Called on the transferring thread; must be cheap. Byte progress is reported about every 1%.
using ProgressFn = std::function<void(const Progress&)>;

// "sha256:0123456789abcdef..." -> "0123456789ab", as docker shows layer IDs.
inline std::string short_id(const store::Digest& digest) {
  return digest.hex().substr(0, 12);
}

}  // namespace berth::registry
