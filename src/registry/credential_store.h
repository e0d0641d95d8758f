// The credential file docker and Berth share a format with: config.json's
//   "auths": {"https://index.docker.io/v1/": {"auth": base64("user:pass"), "identitytoken":
//   "..."}}, "credsStore": "pass", "credHelpers": {"gcr.io": "gcloud"}
// Berth's file is $BERTH_CONFIG/config.json (default ~/.berth/config.json); when it does not
// exist docker's ($DOCKER_CONFIG/config.json, default ~/.docker/config.json) is read instead, but
// never written. Keys Berth does not know (psFormat, proxies, ...) survive a load/save.
//
// Registry names: Docker Hub ("docker.io", "index.docker.io", "registry-1.docker.io") is stored
// under "https://index.docker.io/v1/" as docker does; other registries under "host[:port]".
// Lookups also match keys written as URLs ("https://host/v1/").
//
// When a helper is configured (credHelpers for that registry, else credsStore) get/set/erase
// call docker-credential-<helper> at once, and the file keeps only an empty entry, as docker's.
// Not thread-safe for writers; const methods may be called from several threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "registry/credentials.h"

namespace berth::registry {

class CredentialStore {
 public:
  // An empty store that saves to `path`.
  explicit CredentialStore(std::string path = {});

  // Loads `path`; a missing file is an empty store (save() creates it).
  static Result<CredentialStore> load(std::string path);
  // Berth's file, or docker's when Berth's does not exist (saves still go to Berth's path).
  static Result<CredentialStore> load_default();
  // $BERTH_CONFIG/config.json, or ~/.berth/config.json.
  static std::string default_path();
  // $DOCKER_CONFIG/config.json, or ~/.docker/config.json.
  static std::string docker_path();

  // The key a registry's entry lives under: "https://index.docker.io/v1/" for Docker Hub.
  static std::string key_for(std::string_view registry);

  // The credentials for a registry, or nullopt. A failing helper is logged and counts as none.
  std::optional<Credentials> get(std::string_view registry) const;
  Status set(const std::string& registry, const Credentials& credentials);
  // Succeeds when there was nothing to erase.
  Status erase(std::string_view registry);
  // Writes the file atomically with mode 0600 (its directory 0700 when created).
  Status save() const;

  const std::string& path() const { return path_; }
  // The helper consulted for `registry`, or "" when credentials live in the file.
  std::string helper_for(std::string_view registry) const;

 private:
  // The "auths" key that names `registry`, if present.
  std::optional<std::string> find_key(std::string_view registry) const;
  OrderedJson& auths();

  std::string path_;
  OrderedJson doc_ = OrderedJson::object();
};

// "user:pass" <-> base64, as the "auth" field holds it.
std::string encode_auth(std::string_view username, std::string_view password);
Result<std::pair<std::string, std::string>> decode_auth(std::string_view auth);

}  // namespace berth::registry
