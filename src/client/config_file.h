// The CLI's config.json, in docker's format so that credentials and settings written by
// `docker login` work for berth and the other way round. Location: --config, else BERTH_CONFIG,
// else DOCKER_CONFIG, else ~/.docker.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "client/host.h"

namespace berth::client {

struct AuthConfig {
  std::string username;
  std::string password;
  std::string auth;  // base64("user:pass") as stored in config.json
  std::string server_address;
  std::string identity_token;
  std::string registry_token;

  bool empty() const {
    return username.empty() && password.empty() && identity_token.empty() && registry_token.empty();
  }
  // The API's AuthConfig JSON (lower-case keys), omitting empty fields as docker does.
  Json to_json() const;
};

class ConfigFile {
 public:
  // Loads <dir>/config.json; a missing file is an empty config.
  static Result<ConfigFile> load(std::string dir);
  static std::string default_dir(const EnvLookup& env);

  const std::string& dir() const { return dir_; }
  std::string path() const { return dir_ + "/config.json"; }

  // Settings docker keeps here.
  std::string detach_keys() const { return string_field("detachKeys"); }
  std::string ps_format() const { return string_field("psFormat"); }
  std::string images_format() const { return string_field("imagesFormat"); }
  std::string string_field(const char* key) const;

  // Credentials for a registry ("https://index.docker.io/v1/" for Docker Hub), from a
  // credential helper when one is configured, else from "auths".
  AuthConfig get_auth(const std::string& server) const;
  // Every stored credential (for /build's X-Registry-Config; also `login` checks).
  Status store_auth(const AuthConfig& auth);
  Status erase_auth(const std::string& server);
  bool has_auth(const std::string& server) const;
  Status save() const;

 private:
  std::string helper_for(const std::string& server) const;

  std::string dir_;
  Json data_ = Json::object();
};

// Base64 as Go's encoding/base64 StdEncoding and URLEncoding (both padded).
std::string base64_encode(std::string_view data, bool url = false);
Result<std::string> base64_decode(std::string_view text);

// X-Registry-Auth: base64url of the AuthConfig JSON ("e30=" for none), as docker encodes it.
std::string encode_registry_auth(const AuthConfig& auth);

// Docker Hub's credential key.
inline constexpr std::string_view kIndexServer = "https://index.docker.io/v1/";

// The registry host of an image reference as docker resolves it ("docker.io" for "busybox",
// "localhost:5000" for "localhost:5000/x"), and the key its credentials live under.
std::string registry_host_of(std::string_view image_ref);
std::string auth_key_for_host(std::string_view host);

}  // namespace berth::client
