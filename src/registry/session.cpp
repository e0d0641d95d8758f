#include "registry/session.h"

#include <algorithm>

#include "base/log.h"
#include "base/strings.h"
#include "registry/base64.h"
#include "registry/registry_url.h"
#include "registry/token_client.h"
#include "store/digest.h"

namespace berth::registry {
namespace {

constexpr int kMaxRedirects = 10;

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// A bearer challenge's scope parameter may hold several scopes separated by spaces.
void add_challenge_scopes(const Challenge& bearer, Scopes& scopes) {
  for (const auto& s : split(bearer.param("scope"), ' ')) {
    if (!s.empty() && std::find(scopes.begin(), scopes.end(), s) == scopes.end())
      scopes.push_back(s);
  }
}

std::string credential_identity(const std::optional<Credentials>& c) {
  if (!c) return {};
  if (!c->identity_token.empty()) return "id:" + store::Digest::of(c->identity_token).hex();
  if (!c->username.empty())
    return "user:" + c->username + ":" + store::Digest::of(c->password).hex();
  return {};
}

bool is_connection_error(const Error& e) {
  return e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kDeadlineExceeded ||
         e.code() == ErrorCode::kFailedPrecondition;
}

}  // namespace

std::string repository_scope(std::string_view path, std::string_view actions) {
  return fmt::format("repository:{}:{}", path, actions);
}

Session::Session(RegistryOptions options, const CredentialStore* credentials)
    : options_(std::move(options)),
      store_(credentials),
      insecure_(options_.insecure_registries, options_.loopback_insecure),
      retry_(options_.max_attempts, Milliseconds(options_.initial_backoff_ms),
             Milliseconds(options_.max_backoff_ms)),
      transport_(TransportOptions{options_.user_agent, options_.connect_timeout_ms,
                                  options_.stall_timeout_s}) {}

Result<EndpointPtr> Session::make_endpoint(std::string_view registry, std::string_view mirror_url) {
  auto ep = std::make_shared<Endpoint>();
  ep->registry = normalize_registry(registry);
  if (ep->registry.empty()) return make_error(ErrorCode::kInvalidArgument, "empty registry name");
  if (mirror_url.empty()) {
    ep->host = api_host(ep->registry);
    ep->schemes = {"https"};
  } else {
    std::string url(trim(mirror_url));
    if (url.find("://") == std::string::npos) url = "https://" + url;
    auto parts = parse_url(url);
    if (!parts.ok() || (parts->scheme != "https" && parts->scheme != "http"))
      return make_error(ErrorCode::kInvalidArgument, "invalid mirror URL \"{}\"", mirror_url);
    ep->is_mirror = true;
    ep->host = parts->host;
    ep->schemes = {parts->scheme};
    size_t path_start = url.find('/', url.find("://") + 3);
    if (path_start != std::string::npos) {
      ep->path_prefix = url.substr(path_start);
      while (!ep->path_prefix.empty() && ep->path_prefix.back() == '/') ep->path_prefix.pop_back();
    }
  }
  bool insecure = insecure_.is_insecure(ep->host);
  if (insecure && ep->schemes == std::vector<std::string>{"https"}) ep->schemes.push_back("http");
  ep->tls = TRY_CTX(load_tls_config(options_.certs_dir, ep->host), "registry TLS configuration");
  ep->tls.verify = !insecure;
  return ep;
}

Result<EndpointPtr> Session::endpoint(std::string_view registry) {
  std::string key = normalize_registry(registry);
  {
    std::lock_guard lock(mutex_);
    if (auto it = endpoints_.find(key); it != endpoints_.end()) return it->second;
  }
  EndpointPtr ep = TRY(make_endpoint(registry, ""));
  std::lock_guard lock(mutex_);
  return endpoints_.emplace(key, ep).first->second;  // another thread may have won: use its
}

Result<std::vector<EndpointPtr>> Session::pull_endpoints(std::string_view registry) {
  std::vector<EndpointPtr> out;
  std::string name = normalize_registry(registry);
  for (const auto& [mirrored, urls] : options_.mirrors) {
    if (normalize_registry(mirrored) != name) continue;
    for (const auto& url : urls) {
      std::string key = fmt::format("mirror {} {}", name, url);
      EndpointPtr ep;
      {
        std::lock_guard lock(mutex_);
        if (auto it = endpoints_.find(key); it != endpoints_.end()) ep = it->second;
      }
      if (!ep) {
        auto made = make_endpoint(name, url);
        if (!made.ok()) {
          log::warn("skipping registry mirror: {}", made.error().to_string());
          continue;
        }
        std::lock_guard lock(mutex_);
        ep = endpoints_.emplace(key, made.take()).first->second;
      }
      out.push_back(ep);
    }
  }
  out.push_back(TRY(endpoint(registry)));
  return out;
}

Result<EndpointPtr> Session::endpoint_with_credentials(std::string_view registry,
                                                       const Credentials& credentials) {
  EndpointPtr ep = TRY(make_endpoint(registry, ""));
  ep->fixed_credentials = credentials;
  return ep;
}

std::optional<Credentials> Session::credentials(Endpoint& ep) {
  std::lock_guard lock(ep.mutex);
  if (!ep.credentials_loaded) {
    ep.credentials_loaded = true;
    if (ep.fixed_credentials) {
      ep.credentials = ep.fixed_credentials;
    } else if (store_) {
      // A mirror is a different party: it gets the credentials stored for its own host.
      ep.credentials = store_->get(ep.is_mirror ? ep.host : ep.registry);
    }
    if (ep.credentials && ep.credentials->empty()) ep.credentials.reset();
  }
  return ep.credentials;
}

Error Session::annotate_tls_error(Error error, const Endpoint& ep) const {
  if (error.code() != ErrorCode::kFailedPrecondition) return error;
  return Error(error.code(),
               fmt::format("{} (to trust a private CA, put its certificate in {}/{}/ca.crt; or "
                           "list the registry as insecure)",
                           error.message(), options_.certs_dir, ep.host));
}

Status Session::ensure_ready(Endpoint& ep) {
  std::lock_guard lock(ep.mutex);
  if (ep.ready) return {};
  std::vector<Error> errors;
  for (const auto& scheme : ep.schemes) {
    std::string base = scheme + "://" + ep.host + ep.path_prefix;
    HttpRequest ping;
    ping.url = base + "/v2/";
    if (scheme == "https") ping.tls = ep.tls;
    auto response = transport_.perform(ping);
    if (!response.ok()) {
      errors.push_back(annotate_tls_error(std::move(response).error(), ep));
      continue;
    }
    // Any HTTP answer settles the scheme; 401 tells how to authenticate.
    ep.base_url = base;
    ep.challenges = response->status == 401
                        ? parse_www_authenticate(response->headers.get_all("WWW-Authenticate"))
                        : std::vector<Challenge>{};
    ep.ready = true;
    if (!errors.empty()) log::info("registry {}: https failed, using http", ep.host);
    return {};
  }
  if (errors.size() == 1) return std::move(errors.front());
  // https and http both failed: say both, with the code of the https failure.
  std::vector<std::string> messages;
  messages.reserve(errors.size());
  for (const auto& e : errors) messages.push_back(e.message());
  return Error(errors.front().code(), join(messages, "; "));
}

Result<std::optional<std::string>> Session::authorization(Endpoint& ep, const Scopes& scopes,
                                                          bool refresh, bool offline,
                                                          std::string* refresh_token) {
  std::optional<Credentials> creds = credentials(ep);
  if (creds && !creds->registry_token.empty())
    return std::optional<std::string>("Bearer " + creds->registry_token);
  std::vector<Challenge> challenges;
  {
    std::lock_guard lock(ep.mutex);
    challenges = ep.challenges;
  }
  if (const Challenge* bearer = find_challenge(challenges, "bearer")) {
    std::string realm = bearer->param("realm");
    if (realm.empty())
      return make_error(ErrorCode::kInvalidArgument,
                        "registry {} sent a bearer challenge without a realm", ep.host);
    std::string service = bearer->param("service");
    std::string key = TokenCache::key(realm, service, scopes, credential_identity(creds));
    if (!refresh && !offline) {
      if (auto token = tokens_.get(key)) return std::optional<std::string>("Bearer " + *token);
    }
    std::lock_guard fetch_lock(token_fetch_mutex_);
    if (!refresh && !offline) {
      if (auto token = tokens_.get(key)) return std::optional<std::string>("Bearer " + *token);
    }
    TokenRequest request;
    request.realm = realm;
    request.service = service;
    request.scopes = scopes;
    if (creds) request.credentials = *creds;
    request.offline = offline;
    UrlParts realm_url = TRY(parse_url(realm));
    request.tls = TRY(tls_for_host(ep, realm_url.host));
    TokenResponse token = TRY(fetch_token(transport_, request));
    tokens_.put(key, token.token, token.expires_in);
    if (refresh_token) *refresh_token = token.refresh_token;
    return std::optional<std::string>("Bearer " + token.token);
  }
  if (find_challenge(challenges, "basic") && creds && !creds->username.empty())
    return std::optional<std::string>("Basic " +
                                      base64_encode(creds->username + ":" + creds->password));
  return std::optional<std::string>();
}

Result<TlsConfig> Session::tls_for_host(const Endpoint& ep, std::string_view host) {
  if (host == ep.host) return ep.tls;
  // Token servers and blob storage: their own certs.d entry, verified unless the registry
  // itself is insecure (dockerd uses the registry's transport for them).
  TlsConfig tls = TRY(load_tls_config(options_.certs_dir, host));
  tls.verify = ep.tls.verify;
  return tls;
}

Result<HttpResponse> Session::send_with_redirects(Endpoint& ep, HttpRequest& request,
                                                  const std::optional<std::string>& auth) {
  // Authorization goes to the endpoint's own origin only: not to blob storage a download
  // redirects to, nor to an upload Location on another host (dockerd authorizes only hosts it
  // pinged).
  std::string base_url;
  {
    std::lock_guard lock(ep.mutex);
    base_url = ep.base_url;
  }
  std::string origin = TRY(parse_url(base_url)).origin;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    UrlParts target = TRY(parse_url(request.url));
    if (auth && target.origin == origin) {
      request.headers.set("Authorization", *auth);
    } else {
      request.headers.remove("Authorization");
    }
    request.tls = TRY(tls_for_host(ep, target.host));
    auto response = transport_.perform(request);
    if (!response.ok()) {
      if (target.origin == origin && is_connection_error(response.error())) {
        std::lock_guard lock(ep.mutex);
        ep.ready = false;  // the next attempt pings again, and may settle on another scheme
      }
      return annotate_tls_error(std::move(response).error(), ep);
    }
    bool may_follow = request.method == "GET" || request.method == "HEAD";
    auto location = response->headers.get("Location");
    if (!may_follow || !is_redirect(response->status) || !location) return response;
    request.url = TRY(resolve_url(request.url, *location));
  }
  return make_error(ErrorCode::kUnavailable, "{} {}: too many redirects", request.method,
                    request.url);
}

Result<HttpResponse> Session::send(Endpoint& ep, HttpRequest request, const Scopes& scopes) {
  TRY(ensure_ready(ep));
  if (request.url.starts_with("/")) {
    std::lock_guard lock(ep.mutex);
    request.url = ep.base_url + request.url;
  }
  std::string url = request.url;
  auto auth = TRY(authorization(ep, scopes, false));
  HttpResponse response = TRY(send_with_redirects(ep, request, auth));
  if (response.status != 401 || request.body_reader) return response;

  // Our token may have expired or lack a scope the registry wants, or the registry's auth
  // changed since the ping: take its challenge and try once more.
  auto challenges = parse_www_authenticate(response.headers.get_all("WWW-Authenticate"));
  if (challenges.empty()) return response;
  Scopes wanted = scopes;
  if (const Challenge* bearer = find_challenge(challenges, "bearer"))
    add_challenge_scopes(*bearer, wanted);
  {
    std::lock_guard lock(ep.mutex);
    ep.challenges = challenges;
  }
  auto retry_auth = authorization(ep, wanted, true);
  if (!retry_auth.ok()) return std::move(retry_auth).error();
  if (!*retry_auth || *retry_auth == auth) return response;
  request.url = url;
  return send_with_redirects(ep, request, *retry_auth);
}

}  // namespace berth::registry
