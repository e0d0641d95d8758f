// Getting a bearer token from the token server a registry's challenge names (docker's token
// spec): GET <realm>?service=..&scope=..&scope=.. with basic credentials if there are any, or,
// with an identity token, the OAuth2 POST grant_type=refresh_token.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "registry/credentials.h"
#include "registry/http_transport.h"

namespace berth::registry {

struct TokenRequest {
  std::string realm;
  std::string service;
  std::vector<std::string> scopes;  // "repository:library/busybox:pull"
  Credentials credentials;          // empty: anonymous
  bool offline = false;             // ask for a refresh token (login does)
  TlsConfig tls;
  std::string client_id = "berth";
};

struct TokenResponse {
  std::string token;
  std::chrono::seconds expires_in{60};
  std::string refresh_token;
};

// {"token": "...", "access_token": "...", "expires_in": 300, "refresh_token": "..."}: either
// token name will do; expires_in defaults to 60 s as the token spec says.
Result<TokenResponse> parse_token_response(std::string_view body);

// The token; a 401 from the token server is kPermissionDenied "unauthorized: incorrect username
// or password" when credentials were sent.
Result<TokenResponse> fetch_token(HttpTransport& transport, const TokenRequest& request);

}  // namespace berth::registry
