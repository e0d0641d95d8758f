// The seam between image orchestration and the distribution client: the few registry
// operations pull and push need. RegistryClientApi (registry_client_api.h) implements it over
// berth::registry::Client; the unit tests use an in-memory fake, so pull and push logic (and
// their failure paths) are tested without a network.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "image/reference.h"
#include "store/digest.h"
#include "store/stream.h"

namespace berth::image {

struct RemoteRepository {
  std::string registry;  // "docker.io", "127.0.0.1:5000"
  std::string path;      // "library/busybox"

  bool operator==(const RemoteRepository&) const = default;
};

inline RemoteRepository remote_repository(const Reference& ref) {
  return {ref.domain(), ref.path()};
}

struct RemoteManifest {
  std::string media_type;
  store::Digest digest;
  std::string bytes;
};

// Bytes transferred so far, and the total when known.
using TransferProgressFn = std::function<void(int64_t current, int64_t total)>;

enum class PushOutcome { kPushed, kMounted, kExisted };

class RegistryApi {
 public:
  virtual ~RegistryApi() = default;

  // Resolves a tag or digest; `accept` lists the media types asked for, preferred first.
  virtual Result<RemoteManifest> get_manifest(const RemoteRepository& repo,
                                              const std::string& reference,
                                              const std::vector<std::string>& accept) = 0;
  // The blob's size if the registry has it (HEAD), nullopt if not.
  virtual Result<std::optional<int64_t>> stat_blob(const RemoteRepository& repo,
                                                   const store::Digest& digest) = 0;
  // Streams a blob into `sink`; fails (kDataLoss) if its size or digest is not as expected.
  virtual Status fetch_blob(const RemoteRepository& repo, const store::Digest& digest,
                            int64_t expected_size, store::Writer& sink,
                            const TransferProgressFn& progress) = 0;
  // Uploads a blob, mounting it from `mount_from` (same registry) when the registry allows.
  virtual Result<PushOutcome> push_blob(
      const RemoteRepository& repo, const store::Digest& digest, int64_t size,
      const std::function<Result<std::unique_ptr<store::Reader>>()>& open_source,
      const std::optional<RemoteRepository>& mount_from, const TransferProgressFn& progress) = 0;
  virtual Result<store::Digest> put_manifest(const RemoteRepository& repo,
                                             const std::string& reference,
                                             const std::string& media_type,
                                             const std::string& bytes) = 0;
  virtual Result<std::vector<std::string>> list_tags(const RemoteRepository& repo) = 0;
};

}  // namespace berth::image
