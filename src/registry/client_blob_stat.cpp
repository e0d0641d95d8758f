#include "base/strings.h"
#include "registry/client.h"
#include "registry/client_internal.h"
#include "registry/registry_url.h"

namespace berth::registry {

Result<std::optional<int64_t>> Client::stat_blob(const Repository& repo,
                                                 const store::Digest& digest) {
  TRY(validate_repository_path(repo.path));
  if (digest.is_empty()) return make_error(ErrorCode::kInvalidArgument, "stat blob: empty digest");
  // The registry itself, not its mirrors: this answers "must I push it?".
  EndpointPtr ep = TRY(session_->endpoint(repo.registry));
  std::optional<int64_t> size;
  auto attempt = [&](AttemptInfo& info) -> Status {
    HttpRequest head;
    head.method = "HEAD";
    head.url = blob_path(repo.path, digest.to_string());
    HttpResponse response =
        TRY(session_->send(*ep, std::move(head), {repository_scope(repo.path, "pull")}));
    size.reset();
    if (response.status == 404) return {};
    TRY(expect_status(response, {200}, &info));
    auto length = response.headers.get("Content-Length");
    size = length ? parse_int64(trim(*length)).value_or(-1) : -1;
    return {};
  };
  TRY(run_with_retries(session_->retry_policy(), attempt));
  return size;
}

}  // namespace berth::registry
