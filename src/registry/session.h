// The authenticated request layer under Client: one Endpoint per registry host (and per mirror)
// remembers which scheme answered (https first; http only for insecure registries), the auth
// challenges from GET /v2/, the TLS settings and the credentials. send() authorizes a request for
// its scopes (basic, or a bearer token fetched and cached per scope), follows redirects of
// GET/HEAD without taking the Authorization header to another origin, and on a 401 re-reads the
// challenge and retries once with fresh authorization. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "registry/credential_store.h"
#include "registry/http_transport.h"
#include "registry/insecure_registries.h"
#include "registry/options.h"
#include "registry/retry.h"
#include "registry/token_cache.h"
#include "registry/www_authenticate.h"

namespace berth::registry {

// Token-server scopes: "repository:library/busybox:pull" / "...:pull,push".
using Scopes = std::vector<std::string>;
std::string repository_scope(std::string_view path, std::string_view actions);

struct Endpoint {
  std::string registry;              // the registry it serves, normalized ("docker.io")
  std::string host;                  // what we connect to: "registry-1.docker.io", a mirror host
  std::string path_prefix;           // a mirror URL's path ("/v2/..." is appended to it)
  std::vector<std::string> schemes;  // to try in order: {"https"} or {"https", "http"}
  bool is_mirror = false;
  TlsConfig tls;
  // Credentials given directly (login); otherwise looked up in the store once.
  std::optional<Credentials> fixed_credentials;

  std::mutex mutex;  // guards what follows
  bool ready = false;
  std::string base_url;  // "https://host" plus path_prefix, once a scheme answered
  std::vector<Challenge> challenges;
  bool credentials_loaded = false;
  std::optional<Credentials> credentials;
};
using EndpointPtr = std::shared_ptr<Endpoint>;

class Session {
 public:
  Session(RegistryOptions options, const CredentialStore* credentials);

  const RegistryOptions& options() const { return options_; }
  const RetryPolicy& retry_policy() const { return retry_; }

  // The registry's own endpoint (shared by all calls).
  Result<EndpointPtr> endpoint(std::string_view registry);
  // The mirrors configured for `registry`, then the registry itself.
  Result<std::vector<EndpointPtr>> pull_endpoints(std::string_view registry);
  // A private endpoint using `credentials` instead of the store's (for login).
  Result<EndpointPtr> endpoint_with_credentials(std::string_view registry,
                                                const Credentials& credentials);

  // Pings the endpoint (GET /v2/) unless already done, settling its scheme and challenges.
  Status ensure_ready(Endpoint& endpoint);
  // Sends `request`, whose url is a path ("/v2/...") on the endpoint or an absolute URL (an
  // upload Location). Returns whatever HTTP response came last; Errors are transport failures.
  // Requests with a body_reader are not replayed after a 401.
  Result<HttpResponse> send(Endpoint& endpoint, HttpRequest request, const Scopes& scopes);
  // The endpoint's credentials, if any.
  std::optional<Credentials> credentials(Endpoint& endpoint);
  // The Authorization header for `scopes`, fetching a token if needed (refresh: skip the cache).
  Result<std::optional<std::string>> authorization(Endpoint& endpoint, const Scopes& scopes,
                                                   bool refresh, bool offline = false,
                                                   std::string* refresh_token = nullptr);

 private:
  Result<EndpointPtr> make_endpoint(std::string_view registry, std::string_view mirror_url);
  Result<HttpResponse> send_with_redirects(Endpoint& endpoint, HttpRequest& request,
                                           const std::optional<std::string>& authorization);
  Result<TlsConfig> tls_for_host(const Endpoint& endpoint, std::string_view host);
  Error annotate_tls_error(Error error, const Endpoint& endpoint) const;

  RegistryOptions options_;
  const CredentialStore* store_;
  InsecureRegistries insecure_;
  RetryPolicy retry_;
  HttpTransport transport_;
  TokenCache tokens_;
  // Held while fetching a token, so that parallel layer transfers starting together fetch it
  // once rather than once each.
  std::mutex token_fetch_mutex_;
  std::mutex mutex_;
  std::map<std::string, EndpointPtr> endpoints_;
};

}  // namespace berth::registry
