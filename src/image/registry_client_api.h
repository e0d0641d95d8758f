// RegistryApi over the real distribution client (berth::registry::Client).
#pragma once

#include <cstdint>

#include "image/registry_api.h"
#include "registry/client.h"

namespace berth::image {

class RegistryClientApi final : public RegistryApi {
 public:
  // `client` must outlive this. `chunk_size` > 0 makes pushes chunked (PATCH per chunk).
  explicit RegistryClientApi(registry::Client& client, int64_t chunk_size = 0)
      : client_(client), chunk_size_(chunk_size) {}

  Result<RemoteManifest> get_manifest(const RemoteRepository& repo, const std::string& reference,
                                      const std::vector<std::string>& accept) override;
  Result<std::optional<int64_t>> stat_blob(const RemoteRepository& repo,
                                           const store::Digest& digest) override;
  Status fetch_blob(const RemoteRepository& repo, const store::Digest& digest,
                    int64_t expected_size, store::Writer& sink,
                    const TransferProgressFn& progress) override;
  Result<PushOutcome> push_blob(
      const RemoteRepository& repo, const store::Digest& digest, int64_t size,
      const std::function<Result<std::unique_ptr<store::Reader>>()>& open_source,
      const std::optional<RemoteRepository>& mount_from,
      const TransferProgressFn& progress) override;
  Result<store::Digest> put_manifest(const RemoteRepository& repo, const std::string& reference,
                                     const std::string& media_type,
                                     const std::string& bytes) override;
  Result<std::vector<std::string>> list_tags(const RemoteRepository& repo) override;

 private:
  registry::Client& client_;
  int64_t chunk_size_;
};

}  // namespace berth::image
