#include "base/json.h"
#include "base/strings.h"
#include "registry/client.h"
#include "registry/client_internal.h"
#include "registry/registry_url.h"

namespace berth::registry {
namespace {

// containerd's limit: a manifest is metadata, and a huge one is an attack or a mistake.
constexpr size_t kMaxManifestBytes = 4u << 20;

// "application/vnd.oci.image.manifest.v1+json; charset=utf-8" -> the media type alone.
std::string media_type_of(const std::optional<std::string>& content_type) {
  if (!content_type) return {};
  return to_lower(trim(split_once(*content_type, ';').first));
}

// Some registries serve every manifest as application/json or octet-stream; the document's own
// mediaType (or schemaVersion 1) says what it is.
std::string effective_media_type(std::string header_type, std::string_view bytes) {
  if (!header_type.empty() && header_type != "application/json" && header_type != "text/plain" &&
      header_type != "application/octet-stream")
    return header_type;
  auto json = parse_json(bytes, "manifest");
  if (json.ok() && json->is_object()) {
    if (auto mt = json->find("mediaType"); mt != json->end() && mt->is_string())
      return mt->get<std::string>();
    if (json->value("schemaVersion", 0) == 1)
      return "application/vnd.docker.distribution.manifest.v1+json";
  }
  return header_type;
}

Status check_digest(const store::Digest& expected, std::string_view bytes, std::string_view what) {
  store::Hasher hasher(expected.algorithm());
  hasher.update(bytes);
  store::Digest actual = hasher.digest();
  if (actual != expected)
    return make_error(ErrorCode::kDataLoss, "{} digest mismatch: expected {}, got {}", what,
                      expected.to_string(), actual.to_string());
  return {};
}

HttpRequest manifest_request(const std::string& method, const Repository& repo,
                             const std::string& reference, const std::vector<std::string>& accept) {
  HttpRequest request;
  request.method = method;
  request.url = manifest_path(repo.path, reference);
  if (!accept.empty()) request.headers.add("Accept", join(accept, ", "));
  request.max_body = kMaxManifestBytes;
  return request;
}

}  // namespace

Result<Manifest> Client::get_manifest(const Repository& repo, const std::string& reference,
                                      const std::vector<std::string>& accept) {
  TRY(validate_repository_path(repo.path));
  TRY(validate_reference(reference));
  std::optional<store::Digest> by_digest;
  if (reference.find(':') != std::string::npos) by_digest = TRY(store::Digest::parse(reference));
  auto endpoints = TRY(session_->pull_endpoints(repo.registry));
  Scopes scopes = {repository_scope(repo.path, "pull")};
  Manifest manifest;
  auto attempt = [&](Endpoint& ep, AttemptInfo& info) -> Status {
    HttpResponse response =
        TRY(session_->send(ep, manifest_request("GET", repo, reference, accept), scopes));
    TRY(expect_status(response, {200}, &info));
    if (by_digest) {
      TRY(check_digest(*by_digest, response.body, "manifest"));
      manifest.digest = *by_digest;
    } else {
      manifest.digest = store::Digest::of(response.body);
      if (auto header = response.headers.get("Docker-Content-Digest")) {
        auto claimed = store::Digest::parse(trim(*header));
        if (claimed.ok()) TRY(check_digest(*claimed, response.body, "manifest"));
      }
    }
    manifest.media_type =
        effective_media_type(media_type_of(response.headers.get("Content-Type")), response.body);
    manifest.bytes = std::move(response.body);
    return {};
  };
  TRY(try_endpoints(*session_, endpoints, attempt));
  return manifest;
}

Result<std::optional<ManifestInfo>> Client::stat_manifest(const Repository& repo,
                                                          const std::string& reference,
                                                          const std::vector<std::string>& accept) {
  TRY(validate_repository_path(repo.path));
  TRY(validate_reference(reference));
  auto endpoints = TRY(session_->pull_endpoints(repo.registry));
  Scopes scopes = {repository_scope(repo.path, "pull")};
  std::optional<ManifestInfo> info_out;
  auto attempt = [&](Endpoint& ep, AttemptInfo& info) -> Status {
    HttpResponse response =
        TRY(session_->send(ep, manifest_request("HEAD", repo, reference, accept), scopes));
    info_out.reset();
    if (response.status == 404) return {};
    TRY(expect_status(response, {200}, &info));
    ManifestInfo m;
    m.media_type = media_type_of(response.headers.get("Content-Type"));
    if (auto header = response.headers.get("Docker-Content-Digest")) {
      auto d = store::Digest::parse(trim(*header));
      if (d.ok()) m.digest = d.take();
    }
    if (auto length = response.headers.get("Content-Length"))
      m.size = parse_int64(trim(*length)).value_or(-1);
    info_out = std::move(m);
    return {};
  };
  TRY(try_endpoints(*session_, endpoints, attempt));
  return info_out;
}

Result<store::Digest> Client::put_manifest(const Repository& repo, const std::string& reference,
                                           const std::string& media_type,
                                           const std::string& bytes) {
  TRY(validate_repository_path(repo.path));
  TRY(validate_reference(reference));
  store::Digest digest = store::Digest::of(bytes);
  if (reference.find(':') != std::string::npos) {
    digest = TRY(store::Digest::parse(reference));
    if (auto st = check_digest(digest, bytes, "manifest"); !st.ok())
      return Error(ErrorCode::kInvalidArgument, st.error().message());
  }
  EndpointPtr ep = TRY(session_->endpoint(repo.registry));
  Scopes scopes = {repository_scope(repo.path, "pull,push")};
  auto attempt = [&](AttemptInfo& info) -> Status {
    HttpRequest request;
    request.method = "PUT";
    request.url = manifest_path(repo.path, reference);
    request.headers.add("Content-Type", media_type);
    request.body = bytes;
    HttpResponse response = TRY(session_->send(*ep, std::move(request), scopes));
    TRY(expect_status(response, {200, 201, 202}, &info));
    if (auto header = response.headers.get("Docker-Content-Digest")) {
      auto claimed = store::Digest::parse(trim(*header));
      if (claimed.ok() && claimed->algorithm() == digest.algorithm() && *claimed != digest) {
        info.fatal = true;
        return make_error(ErrorCode::kDataLoss, "registry stored manifest as {}, expected {}",
                          claimed->to_string(), digest.to_string());
      }
    }
    return {};
  };
  TRY(run_with_retries(session_->retry_policy(), attempt));
  return digest;
}

}  // namespace berth::registry
