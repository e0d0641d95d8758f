// A client for the OCI distribution API (and Docker Registry HTTP API v2): manifests, blobs,
// uploads, tags, login. Speaks to Docker Hub, registry:2, ghcr.io, quay, harbor, zot alike.
//
// Thread-safe: one Client serves parallel layer transfers. Transient failures (network errors,
// 5xx, 429) are retried with backoff; pulls go through the configured mirrors first.
// Errors carry canonical codes: kNotFound (manifest/blob/repository unknown), kPermissionDenied
// (unauthorized/denied), kDataLoss (digest or size mismatch), kUnavailable (cannot connect,
// with the URL), kFailedPrecondition (TLS certificate not trusted). Messages from the registry
// read as docker prints them ("manifest unknown: manifest unknown") with no context added, so
// callers can say which image they were after.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "registry/credential_store.h"
#include "registry/credentials.h"
#include "registry/options.h"
#include "registry/types.h"
#include "store/stream.h"

namespace berth::registry {

class Session;

class Client {
 public:
  // `credentials` may be null (anonymous) and must outlive the client.
  Client(RegistryOptions options, const CredentialStore* credentials);
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;

  // GET a manifest (or index) by tag or digest. Verifies the bytes against the digest when
  // `reference` is one; otherwise computes the sha256 digest and checks Docker-Content-Digest
  // when present. Manifests over 4 MiB are refused.
  Result<Manifest> get_manifest(const Repository& repo, const std::string& reference,
                                const std::vector<std::string>& accept_media_types);
  // HEAD a manifest: nullopt when absent. (Cheaper than a GET against pull rate limits.)
  Result<std::optional<ManifestInfo>> stat_manifest(
      const Repository& repo, const std::string& reference,
      const std::vector<std::string>& accept_media_types);

  // HEAD a blob: its size, or nullopt when absent.
  Result<std::optional<int64_t>> stat_blob(const Repository& repo, const store::Digest& digest);

  // Streams a blob into `sink`, verifying size (when expected_size >= 0) and digest at the
  // end: a mismatch is kDataLoss and the sink gets nothing more — the caller must discard what
  // it got. A dropped connection resumes with a Range request (or, when the server ignores
  // ranges, skips what the sink already has) rather than starting over.
  Status fetch_blob(const Repository& repo, const store::Digest& digest, int64_t expected_size,
                    store::Writer& sink, const ProgressFn& progress);

  // Uploads a blob unless the registry has it ("Layer already exists"): first a cross-
  // repository mount when `mount_from` is on the same registry ("Mounted from x"), else an
  // upload session with one PUT, or PATCHes of `chunk_size` bytes (> 0) and a closing PUT.
  // `open_source` returns a fresh Reader from the start; it is called again on each retry.
  Status push_blob(const Repository& repo, const store::Digest& digest, int64_t size,
                   const std::function<Result<std::unique_ptr<store::Reader>>()>& open_source,
                   const std::optional<Repository>& mount_from, int64_t chunk_size,
                   const ProgressFn& progress);

  // PUT a manifest under a tag or digest; returns the digest of `bytes` (checked against
  // Docker-Content-Digest when the registry sends one).
  Result<store::Digest> put_manifest(const Repository& repo, const std::string& reference,
                                     const std::string& media_type, const std::string& bytes);

  // All tags, following Link pagination.
  Result<std::vector<std::string>> list_tags(const Repository& repo);

  // GET /v2/ with the stored credentials: succeeds when the registry answers as a v2
  // registry. Stored credentials it rejects are kPermissionDenied "unauthorized: incorrect
  // username or password"; without stored credentials a 401 still counts as reachable.
  Status ping(const std::string& registry);
  // Verifies `credentials` through the registry's auth flow (the caller stores them on
  // success): kPermissionDenied "unauthorized: incorrect username or password" when rejected.
  // When the token server hands out a refresh token and `identity_token` is given, it is set
  // there, to be stored instead of the password, as docker does.
  Status login(const std::string& registry, const Credentials& credentials,
               std::string* identity_token = nullptr);

 private:
  Status check_v2(const std::string& registry, const std::optional<Credentials>& credentials,
                  std::string* identity_token);

  std::unique_ptr<Session> session_;
};

}  // namespace berth::registry
