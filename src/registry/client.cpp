#include "registry/client.h"

#include "registry/client_internal.h"
#include "registry/session.h"

namespace berth::registry {

Client::Client(RegistryOptions options, const CredentialStore* credentials)
    : session_(std::make_unique<Session>(std::move(options), credentials)) {}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Status Client::check_v2(const std::string& registry, const std::optional<Credentials>& credentials,
                        std::string* identity_token) {
  EndpointPtr ep = credentials ? TRY(session_->endpoint_with_credentials(registry, *credentials))
                               : TRY(session_->endpoint(registry));
  bool have_credentials = session_->credentials(*ep).has_value();
  return run_with_retries(session_->retry_policy(), [&](AttemptInfo& info) -> Status {
    TRY(session_->ensure_ready(*ep));
    if (credentials) {
      // Login asks the token server for a refresh token up front, as docker login does, so
      // that wrong credentials fail at the token server and a refresh token can be kept.
      std::string refresh;
      TRY(session_->authorization(*ep, {}, true, true, &refresh));
      if (identity_token && !refresh.empty()) *identity_token = refresh;
    }
    HttpRequest request;
    request.url = "/v2/";
    HttpResponse response = TRY(session_->send(*ep, std::move(request), {}));
    if (response.status == 401 && have_credentials)
      return Error(ErrorCode::kPermissionDenied, "unauthorized: incorrect username or password");
    if (response.status == 401 && !credentials)
      return {};  // reachable; anonymous access is per repository
    return expect_status(response, {200}, &info);
  });
}

Status Client::ping(const std::string& registry) {
  return check_v2(registry, std::nullopt, nullptr);
}

Status Client::login(const std::string& registry, const Credentials& credentials,
                     std::string* identity_token) {
  return check_v2(registry, credentials, identity_token);
}

}  // namespace berth::registry
