#include "base/json.h"
#include "registry/client.h"
#include "registry/client_internal.h"
#include "registry/registry_url.h"

namespace berth::registry {
namespace {

constexpr int kMaxPages = 10'000;

}  // namespace

Result<std::vector<std::string>> Client::list_tags(const Repository& repo) {
  TRY(validate_repository_path(repo.path));
  EndpointPtr ep = TRY(session_->endpoint(repo.registry));
  Scopes scopes = {repository_scope(repo.path, "pull")};
  std::vector<std::string> tags;
  std::string url = tags_path(repo.path);
  for (int page = 0; page < kMaxPages; ++page) {
    HttpResponse response;
    auto attempt = [&](AttemptInfo& info) -> Status {
      HttpRequest request;
      request.url = url;
      response = TRY(session_->send(*ep, std::move(request), scopes));
      return expect_status(response, {200}, &info);
    };
    TRY(run_with_retries(session_->retry_policy(), attempt));
    Json json = TRY(parse_json(response.body, "tag list"));
    if (!json.is_object())
      return make_error(ErrorCode::kInvalidArgument, "tag list is not an object");
    if (auto it = json.find("tags"); it != json.end() && it->is_array()) {
      for (const auto& tag : *it) {
        if (tag.is_string()) tags.push_back(tag.get<std::string>());
      }
    }
    auto link = response.headers.get("Link");
    auto next = link ? link_next(*link) : std::nullopt;
    if (!next) return tags;
    // Relative to the page that named it; the base is the endpoint's, where the first page was.
    std::string base;
    {
      std::lock_guard lock(ep->mutex);
      base = ep->base_url + tags_path(repo.path);
    }
    url = TRY(resolve_url(url.starts_with("/") ? base : url, *next));
  }
  return make_error(ErrorCode::kResourceExhausted, "tag list of {} has more than {} pages",
                    repo.to_string(), kMaxPages);
}

}  // namespace berth::registry
