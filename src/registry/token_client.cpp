#include "registry/token_client.h"

#include "base/json.h"
#include "base/strings.h"
#include "registry/base64.h"
#include "registry/registry_error.h"
#include "registry/registry_url.h"

namespace berth::registry {
namespace {

std::string form_field(std::string_view key, std::string_view value) {
  return query_escape(key) + "=" + query_escape(value);
}

HttpRequest oauth_request(const TokenRequest& t) {
  // The OAuth2 form joins scopes with spaces.
  std::vector<std::string> fields = {form_field("grant_type", "refresh_token"),
                                     form_field("refresh_token", t.credentials.identity_token),
                                     form_field("service", t.service),
                                     form_field("client_id", t.client_id)};
  if (!t.scopes.empty()) fields.push_back(form_field("scope", join(t.scopes, " ")));
  if (t.offline) fields.push_back(form_field("access_type", "offline"));
  HttpRequest r;
  r.method = "POST";
  r.url = t.realm;
  r.body = join(fields, "&");
  r.headers.add("Content-Type", "application/x-www-form-urlencoded");
  return r;
}

HttpRequest basic_request(const TokenRequest& t) {
  HttpRequest r;
  r.url = t.realm;
  if (!t.service.empty()) r.url = append_query(r.url, "service", t.service);
  for (const auto& scope : t.scopes) r.url = append_query(r.url, "scope", scope);
  const Credentials& c = t.credentials;
  if (!c.username.empty()) {
    r.url = append_query(r.url, "account", c.username);
    r.headers.add("Authorization", "Basic " + base64_encode(c.username + ":" + c.password));
  }
  if (t.offline) {
    r.url = append_query(r.url, "offline_token", "true");
    r.url = append_query(r.url, "client_id", t.client_id);
  }
  return r;
}

}  // namespace

Result<TokenResponse> parse_token_response(std::string_view body) {
  Json json = TRY(parse_json(body, "token response"));
  if (!json.is_object())
    return make_error(ErrorCode::kInvalidArgument, "token response is not an object");
  TokenResponse out;
  auto string_field = [&](const char* name) {
    auto it = json.find(name);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.token = string_field("token");
  if (out.token.empty()) out.token = string_field("access_token");
  if (out.token.empty())
    return make_error(ErrorCode::kInvalidArgument, "token response has no token");
  out.refresh_token = string_field("refresh_token");
  if (auto it = json.find("expires_in");
      it != json.end() && it->is_number() && it->get<double>() > 0)
    out.expires_in = std::chrono::seconds(static_cast<int64_t>(it->get<double>()));
  return out;
}

Result<TokenResponse> fetch_token(HttpTransport& transport, const TokenRequest& t) {
  auto realm = parse_url(t.realm);
  if (!realm.ok() || (realm->scheme != "https" && realm->scheme != "http"))
    return make_error(ErrorCode::kInvalidArgument, "invalid token realm \"{}\"", t.realm);
  bool oauth = !t.credentials.identity_token.empty();
  HttpRequest request = oauth ? oauth_request(t) : basic_request(t);
  request.tls = t.tls;
  request.max_body = 1u << 20;
  HttpResponse response = TRY(transport.perform(request));
  if (response.status == 401 && (oauth || !t.credentials.username.empty()))
    return Error(ErrorCode::kPermissionDenied, "unauthorized: incorrect username or password");
  if (response.status != 200) {
    return std::move(registry_error(response.status, response.body)
                         .with_context(fmt::format("get token from {}", t.realm)));
  }
  return TRY_CTX(parse_token_response(response.body), fmt::format("get token from {}", t.realm));
}

}  // namespace berth::registry
