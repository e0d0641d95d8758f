#include "image/registry_client_api.h"

namespace berth::image {

namespace {

registry::Repository to_registry(const RemoteRepository& r) {
  return registry::Repository{r.registry, r.path};
}

registry::ProgressFn bytes_only(const TransferProgressFn& fn) {
  if (!fn) return {};
  return [fn](const registry::Progress& p) {
    if (p.current > 0 || p.total > 0) fn(p.current, p.total);
  };
}

}  // namespace

Result<RemoteManifest> RegistryClientApi::get_manifest(const RemoteRepository& repo,
                                                       const std::string& reference,
                                                       const std::vector<std::string>& accept) {
  auto m = TRY(client_.get_manifest(to_registry(repo), reference, accept));
  return RemoteManifest{std::move(m.media_type), std::move(m.digest), std::move(m.bytes)};
}

Result<std::optional<int64_t>> RegistryClientApi::stat_blob(const RemoteRepository& repo,
                                                            const store::Digest& digest) {
  return client_.stat_blob(to_registry(repo), digest);
}

Status RegistryClientApi::fetch_blob(const RemoteRepository& repo, const store::Digest& digest,
                                     int64_t expected_size, store::Writer& sink,
                                     const TransferProgressFn& progress) {
  return client_.fetch_blob(to_registry(repo), digest, expected_size, sink, bytes_only(progress));
}

Result<PushOutcome> RegistryClientApi::push_blob(
    const RemoteRepository& repo, const store::Digest& digest, int64_t size,
    const std::function<Result<std::unique_ptr<store::Reader>>()>& open_source,
    const std::optional<RemoteRepository>& mount_from, const TransferProgressFn& progress) {
  // The client says what happened only through its progress statuses.
  PushOutcome outcome = PushOutcome::kPushed;
  auto on_progress = [&](const registry::Progress& p) {
    if (p.status.starts_with("Mounted from")) {
      outcome = PushOutcome::kMounted;
    } else if (p.status == "Layer already exists") {
      outcome = PushOutcome::kExisted;
    } else if ((p.current > 0 || p.total > 0) && progress) {
      progress(p.current, p.total);
    }
  };
  std::optional<registry::Repository> from;
  if (mount_from) from = to_registry(*mount_from);
  TRY(client_.push_blob(to_registry(repo), digest, size, open_source, from, chunk_size_,
                        on_progress));
  return outcome;
}

Result<store::Digest> RegistryClientApi::put_manifest(const RemoteRepository& repo,
                                                      const std::string& reference,
                                                      const std::string& media_type,
                                                      const std::string& bytes) {
  return client_.put_manifest(to_registry(repo), reference, media_type, bytes);
}

Result<std::vector<std::string>> RegistryClientApi::list_tags(const RemoteRepository& repo) {
  return client_.list_tags(to_registry(repo));
}

}  // namespace berth::image
