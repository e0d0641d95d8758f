#include "registry/credential_store.h"

#include <cstdlib>

#include "base/file_util.h"
#include "base/log.h"
#include "base/strings.h"
#include "registry/base64.h"
#include "registry/credential_helper.h"
#include "registry/registry_url.h"

namespace berth::registry {
namespace {

constexpr std::string_view kDockerHubKey = "https://index.docker.io/v1/";

std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home && *home ? home : "/root";
}

// docker's ConvertToHostname: "https://host:5000/v1/" -> "host:5000".
std::string key_hostname(std::string_view key) {
  if (key.starts_with("http://")) key.remove_prefix(7);
  if (key.starts_with("https://")) key.remove_prefix(8);
  return std::string(split_once(key, '/').first);
}

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

}  // namespace

std::string encode_auth(std::string_view username, std::string_view password) {
  return base64_encode(std::string(username) + ":" + std::string(password));
}

Result<std::pair<std::string, std::string>> decode_auth(std::string_view auth) {
  std::string decoded = TRY_CTX(base64_decode(auth), "decode auth");
  bool found = false;
  auto [user, pass] = split_once(decoded, ':', &found);
  if (!found)
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid auth: no ':' between user and password");
  std::string password(pass);
  // docker trims NULs some writers leave at the end.
  while (!password.empty() && password.back() == '\0') password.pop_back();
  return std::pair<std::string, std::string>(std::string(user), std::move(password));
}

CredentialStore::CredentialStore(std::string path) : path_(std::move(path)) {}

std::string CredentialStore::default_path() {
  return path_join(env_or("BERTH_CONFIG", path_join(home_dir(), ".berth")), "config.json");
}

std::string CredentialStore::docker_path() {
  return path_join(env_or("DOCKER_CONFIG", path_join(home_dir(), ".docker")), "config.json");
}

Result<CredentialStore> CredentialStore::load(std::string path) {
  CredentialStore store(path);
  if (!path_exists(path)) return store;
  std::string text = TRY(read_file(path));
  if (trim(text).empty()) return store;
  try {
    store.doc_ = OrderedJson::parse(text);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInvalidArgument, "parse {}: {}", path, e.what());
  }
  if (!store.doc_.is_object())
    return make_error(ErrorCode::kInvalidArgument, "{}: not a JSON object", path);
  if (store.doc_.contains("auths") && !store.doc_["auths"].is_object())
    return make_error(ErrorCode::kInvalidArgument, "{}: \"auths\" is not an object", path);
  return store;
}

Result<CredentialStore> CredentialStore::load_default() {
  std::string own = default_path();
  if (path_exists(own)) return load(own);
  std::string docker = docker_path();
  if (!path_exists(docker)) return CredentialStore(own);
  CredentialStore store = TRY(load(docker));
  store.path_ = own;
  return store;
}

std::string CredentialStore::key_for(std::string_view registry) {
  std::string name = normalize_registry(key_hostname(registry));
  return name == "docker.io" ? std::string(kDockerHubKey) : name;
}

OrderedJson& CredentialStore::auths() {
  if (!doc_.contains("auths") || !doc_["auths"].is_object()) doc_["auths"] = OrderedJson::object();
  return doc_["auths"];
}

std::optional<std::string> CredentialStore::find_key(std::string_view registry) const {
  auto it = doc_.find("auths");
  if (it == doc_.end() || !it->is_object()) return std::nullopt;
  std::string key = key_for(registry);
  if (it->contains(key)) return key;
  std::string name = normalize_registry(key_hostname(registry));
  for (const auto& [k, v] : it->items()) {
    if (normalize_registry(key_hostname(k)) == name) return k;
  }
  return std::nullopt;
}

std::string CredentialStore::helper_for(std::string_view registry) const {
  std::string name = normalize_registry(key_hostname(registry));
  auto helpers = doc_.find("credHelpers");
  if (helpers != doc_.end() && helpers->is_object()) {
    for (const auto& [k, v] : helpers->items()) {
      if (v.is_string() && normalize_registry(key_hostname(k)) == name) return v.get<std::string>();
    }
  }
  auto store = doc_.find("credsStore");
  if (store != doc_.end() && store->is_string()) return store->get<std::string>();
  return {};
}

std::optional<Credentials> CredentialStore::get(std::string_view registry) const {
  std::string helper = helper_for(registry);
  if (!helper.empty()) {
    auto got = helper_get(helper, key_for(registry));
    if (!got.ok()) {
      log::warn("credential helper {} for {}: {}", helper, registry, got.error().to_string());
      return std::nullopt;
    }
    return got.take();
  }
  auto key = find_key(registry);
  if (!key) return std::nullopt;
  const OrderedJson& entry = doc_.at("auths").at(*key);
  if (!entry.is_object()) return std::nullopt;
  Credentials creds;
  if (auto auth = entry.find("auth");
      auth != entry.end() && auth->is_string() && !auth->get<std::string>().empty()) {
    auto decoded = decode_auth(auth->get<std::string>());
    if (!decoded.ok()) {
      log::warn("{}: credentials for {}: {}", path_, *key, decoded.error().to_string());
      return std::nullopt;
    }
    creds.username = decoded->first;
    creds.password = decoded->second;
  } else {
    // Old files and some tools write the fields out.
    creds.username = entry.value("username", std::string());
    creds.password = entry.value("password", std::string());
  }
  creds.identity_token = entry.value("identitytoken", std::string());
  creds.registry_token = entry.value("registrytoken", std::string());
  if (creds.empty()) return std::nullopt;
  return creds;
}

Status CredentialStore::set(const std::string& registry, const Credentials& credentials) {
  std::string key = key_for(registry);
  // Rewrite the entry under the canonical key, keeping fields we do not manage (e.g. "email").
  OrderedJson entry = OrderedJson::object();
  if (auto old = find_key(registry)) {
    if (auths()[*old].is_object()) entry = auths()[*old];
    auths().erase(*old);
  }
  for (const char* field : {"auth", "username", "password", "identitytoken", "registrytoken"})
    entry.erase(field);
  std::string helper = helper_for(registry);
  if (!helper.empty()) {
    TRY(helper_store(helper, key, credentials));
  } else {
    if (!credentials.username.empty() || !credentials.password.empty())
      entry["auth"] = encode_auth(credentials.username, credentials.password);
    if (!credentials.identity_token.empty()) entry["identitytoken"] = credentials.identity_token;
    if (!credentials.registry_token.empty()) entry["registrytoken"] = credentials.registry_token;
  }
  auths()[key] = std::move(entry);
  return {};
}

Status CredentialStore::erase(std::string_view registry) {
  std::string helper = helper_for(registry);
  if (!helper.empty()) TRY(helper_erase(helper, key_for(registry)));
  if (auto key = find_key(registry)) auths().erase(*key);
  return {};
}

Status CredentialStore::save() const {
  if (path_.empty()) return make_error(ErrorCode::kInvalidArgument, "credential store has no path");
  std::string dir = dirname(path_);
  if (!path_exists(dir)) TRY(make_dirs(dir, 0700));
  return write_file_atomic(path_, doc_.dump(1, '\t') + "\n", 0600);
}

}  // namespace berth::registry
