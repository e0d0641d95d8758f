#include "base/strings.h"
#include "registry/client.h"
#include "registry/client_internal.h"
#include "registry/registry_url.h"

namespace berth::registry {
namespace {

struct Upload {
  const Repository& repo;
  const store::Digest& digest;
  int64_t size;
  const std::function<Result<std::unique_ptr<store::Reader>>()>& open_source;
  const std::optional<Repository>& mount_from;
  int64_t chunk_size;
  ProgressReporter& progress;
};

std::string location_of(const HttpResponse& response, const std::string& request_url) {
  auto location = response.headers.get("Location");
  if (!location) return {};
  auto resolved = resolve_url(request_url, *location);
  return resolved.ok() ? resolved.take() : std::string();
}

// Resolves the upload URL relative to the endpoint (Location may be a path).
Result<std::string> absolute(Endpoint& ep, const std::string& path_or_url) {
  if (!path_or_url.starts_with("/")) return path_or_url;
  std::lock_guard lock(ep.mutex);
  return ep.base_url + path_or_url;
}

// HEAD: is the blob there already?
Result<bool> blob_exists(Session& session, Endpoint& ep, const Upload& u, const Scopes& scopes,
                         AttemptInfo& info) {
  HttpRequest head;
  head.method = "HEAD";
  head.url = blob_path(u.repo.path, u.digest.to_string());
  HttpResponse response = TRY(session.send(ep, std::move(head), scopes));
  if (response.status == 404) return false;
  TRY(expect_status(response, {200}, &info));
  return true;
}

// POST .../uploads/ (with ?mount= when mounting). Returns the upload Location, or "" when a
// mount succeeded.
Result<std::string> start_upload(Session& session, Endpoint& ep, const Upload& u,
                                 const Scopes& scopes, AttemptInfo& info, int64_t* min_chunk) {
  std::string url = TRY(absolute(ep, upload_path(u.repo.path)));
  bool mount = u.mount_from &&
               normalize_registry(u.mount_from->registry) == normalize_registry(u.repo.registry) &&
               u.mount_from->path != u.repo.path;
  Scopes post_scopes = scopes;
  if (mount) {
    post_scopes.push_back(repository_scope(u.mount_from->path, "pull"));
    HttpRequest post;
    post.method = "POST";
    post.url =
        append_query(append_query(url, "mount", u.digest.to_string()), "from", u.mount_from->path);
    std::string request_url = post.url;
    HttpResponse response = TRY(session.send(ep, std::move(post), post_scopes));
    if (response.status == 201) {
      u.progress.status("Mounted from " + u.mount_from->path);
      return std::string();
    }
    if (response.status == 202) {
      // The registry could not mount, and opened an upload session instead.
      std::string location = location_of(response, request_url);
      if (!location.empty()) return location;
    }
    // Anything else (no access to the source, unknown there): upload normally, as docker does.
  }
  HttpRequest post;
  post.method = "POST";
  post.url = url;
  HttpResponse response = TRY(session.send(ep, std::move(post), scopes));
  TRY(expect_status(response, {202}, &info));
  std::string location = location_of(response, url);
  if (location.empty())
    return make_error(ErrorCode::kUnavailable, "registry started an upload without a Location");
  if (auto min = response.headers.get("OCI-Chunk-Min-Length"))
    *min_chunk = parse_int64(trim(*min)).value_or(0);
  return location;
}

Status check_pushed_digest(const HttpResponse& response, const store::Digest& digest,
                           AttemptInfo& info) {
  auto header = response.headers.get("Docker-Content-Digest");
  if (!header) return {};
  auto claimed = store::Digest::parse(trim(*header));
  if (claimed.ok() && claimed->algorithm() == digest.algorithm() && *claimed != digest) {
    info.fatal = true;
    return make_error(ErrorCode::kDataLoss, "registry stored blob as {}, expected {}",
                      claimed->to_string(), digest.to_string());
  }
  return {};
}

Status put_monolithic(Session& session, Endpoint& ep, const Upload& u, const Scopes& scopes,
                      std::string location, store::Reader& source, AttemptInfo& info) {
  HttpRequest put;
  put.method = "PUT";
  put.url = append_query(std::move(location), "digest", u.digest.to_string());
  put.headers.add("Content-Type", "application/octet-stream");
  put.body_reader = &source;
  put.body_size = u.size;
  put.on_sent = [&](int64_t sent) { u.progress.bytes("Pushing", sent); };
  HttpResponse response = TRY(session.send(ep, std::move(put), scopes));
  TRY(expect_status(response, {201, 204}, &info));
  return check_pushed_digest(response, u.digest, info);
}

Status put_chunked(Session& session, Endpoint& ep, const Upload& u, const Scopes& scopes,
                   std::string location, int64_t chunk_size, store::Reader& source,
                   AttemptInfo& info) {
  int64_t offset = 0;
  while (offset < u.size) {
    int64_t n = std::min(chunk_size, u.size - offset);
    HttpRequest patch;
    patch.method = "PATCH";
    patch.url = location;
    patch.headers.add("Content-Type", "application/octet-stream");
    patch.headers.add("Content-Range", fmt::format("{}-{}", offset, offset + n - 1));
    patch.body_reader = &source;
    patch.body_size = n;
    patch.on_sent = [&, base = offset](int64_t sent) { u.progress.bytes("Pushing", base + sent); };
    HttpResponse response = TRY(session.send(ep, std::move(patch), scopes));
    TRY(expect_status(response, {202, 204}, &info));
    if (auto range = response.headers.get("Range")) {
      // "0-<last byte>": the registry must hold exactly what we sent so far.
      auto end = parse_int64(trim(split_once(*range, '-').second));
      if (end.ok() && *end != offset + n - 1)
        return make_error(ErrorCode::kUnavailable,
                          "registry holds bytes {} of the upload, expected 0-{}", *range,
                          offset + n - 1);
    }
    std::string next = location_of(response, location);
    if (!next.empty()) location = std::move(next);
    offset += n;
  }
  HttpRequest put;
  put.method = "PUT";
  put.url = append_query(std::move(location), "digest", u.digest.to_string());
  HttpResponse response = TRY(session.send(ep, std::move(put), scopes));
  TRY(expect_status(response, {201, 204}, &info));
  return check_pushed_digest(response, u.digest, info);
}

// One try from the top: a retry after a failed upload starts a new session, as docker's does.
Status push_attempt(Session& session, Endpoint& ep, const Upload& u, AttemptInfo& info) {
  Scopes scopes = {repository_scope(u.repo.path, "pull,push")};
  if (TRY(blob_exists(session, ep, u, scopes, info))) {
    u.progress.status("Layer already exists");
    return {};
  }
  int64_t min_chunk = 0;
  std::string location = TRY(start_upload(session, ep, u, scopes, info, &min_chunk));
  if (location.empty()) return {};  // mounted
  auto source = u.open_source();
  if (!source.ok()) {
    info.fatal = true;
    return std::move(source).error().context("open blob to push");
  }
  std::unique_ptr<store::Reader> reader = source.take();
  Status sent = u.chunk_size > 0 ? put_chunked(session, ep, u, scopes, location,
                                               std::max(u.chunk_size, min_chunk), *reader, info)
                                 : put_monolithic(session, ep, u, scopes, location, *reader, info);
  if (!sent.ok()) {
    if (sent.error().code() == ErrorCode::kDataLoss) info.fatal = true;  // the source is wrong
    // Best effort: tell the registry to drop the half-done session.
    HttpRequest cancel;
    cancel.method = "DELETE";
    cancel.url = location;
    (void)session.send(ep, std::move(cancel), scopes);
    return sent;
  }
  u.progress.bytes("Pushing", u.size, true);
  u.progress.status("Pushed");
  return {};
}

}  // namespace

Status Client::push_blob(const Repository& repo, const store::Digest& digest, int64_t size,
                         const std::function<Result<std::unique_ptr<store::Reader>>()>& open_source,
                         const std::optional<Repository>& mount_from, int64_t chunk_size,
                         const ProgressFn& progress) {
  TRY(validate_repository_path(repo.path));
  if (mount_from) TRY(validate_repository_path(mount_from->path));
  if (digest.is_empty()) return make_error(ErrorCode::kInvalidArgument, "push blob: empty digest");
  if (size < 0)
    return make_error(ErrorCode::kInvalidArgument, "push blob {}: unknown size",
                      digest.to_string());
  EndpointPtr ep = TRY(session_->endpoint(repo.registry));
  ProgressReporter reporter(progress, short_id(digest), size);
  Upload upload{repo, digest, size, open_source, mount_from, chunk_size, reporter};
  return run_with_retries(
      session_->retry_policy(),
      [&](AttemptInfo& info) { return push_attempt(*session_, *ep, upload, info); },
      reporter.retry_notifier());
}

}  // namespace berth::registry
