// Credentials for one registry, in the shapes docker knows: username/password (basic auth or
// a token server's basic-auth GET), an identity token (OAuth2 refresh token for the token
// server's POST), or a registry token (sent as the bearer token as-is).
#pragma once

#include <string>

namespace berth::registry {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;
  std::string registry_token;

  bool empty() const {
    return username.empty() && password.empty() && identity_token.empty() && registry_token.empty();
  }
  bool operator==(const Credentials&) const = default;
};

}  // namespace berth::registry
