#include "client/config_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "base/strings.h"

namespace berth::client {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Runs a docker-credential-<helper> action with `input` on stdin; its stdout, or an error.
Result<std::string> run_helper(const std::string& helper, const std::string& action,
                               const std::string& input) {
  std::string program = "docker-credential-" + helper;
  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return errno_error("pipe");
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return errno_error("pipe");
  }
  pid_t pid = ::fork();
  if (pid < 0) return errno_error("fork");
  if (pid == 0) {
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::execlp(program.c_str(), program.c_str(), action.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  (void)!::write(in_pipe[1], input.data(), input.size());
  ::close(in_pipe[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out_pipe[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(out_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error(ErrorCode::kUnavailable, "error {} credentials - err: exit status {}, out: `{}`",
                      action == "get" ? "getting" : action == "store" ? "storing" : "erasing",
                      WIFEXITED(status) ? WEXITSTATUS(status) : 1, std::string(trim(out)));
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view data, bool url) {
  const char* table = url ? kUrl : kStd;
  std::string out;
  size_t i = 0;
  while (i + 2 < data.size()) {
    uint32_t v = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
    i += 3;
  }
  if (i < data.size()) {
    uint32_t v = static_cast<uint8_t>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<uint8_t>(data[i + 1]) << 8;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < data.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == '\r') continue;
    int v = value(c);
    if (v < 0) return Error(ErrorCode::kInvalidArgument, "illegal base64 data");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

Json AuthConfig::to_json() const {
  Json j = Json::object();
  if (!username.empty()) j["username"] = username;
  if (!password.empty()) j["password"] = password;
  if (!auth.empty()) j["auth"] = auth;
  if (!server_address.empty()) j["serveraddress"] = server_address;
  if (!identity_token.empty()) j["identitytoken"] = identity_token;
  if (!registry_token.empty()) j["registrytoken"] = registry_token;
  return j;
}

std::string encode_registry_auth(const AuthConfig& auth) {
  return base64_encode(auth.to_json().dump(), true);
}

std::string registry_host_of(std::string_view ref) {
  size_t slash = ref.find('/');
  if (slash == std::string_view::npos) return "docker.io";
  std::string_view first = ref.substr(0, slash);
  if (first.find('.') == std::string_view::npos && first.find(':') == std::string_view::npos &&
      first != "localhost") {
    return "docker.io";
  }
  if (first == "index.docker.io" || first == "registry-1.docker.io") return "docker.io";
  return std::string(first);
}

std::string auth_key_for_host(std::string_view host) {
  if (host == "docker.io" || host.empty()) return std::string(kIndexServer);
  return std::string(host);
}

std::string ConfigFile::default_dir(const EnvLookup& env) {
  for (const char* name : {"BERTH_CONFIG", "DOCKER_CONFIG"}) {
    if (auto v = env(name); v && !v->empty()) return *v;
  }
  auto home = env("HOME");
  return (home && !home->empty() ? *home : std::string("/root")) + "/.docker";
}

Result<ConfigFile> ConfigFile::load(std::string dir) {
  ConfigFile cf;
  cf.dir_ = std::move(dir);
  std::ifstream in(cf.path());
  if (!in) return cf;
  std::stringstream ss;
  ss << in.rdbuf();
  if (trim(ss.str()).empty()) return cf;
  auto parsed = parse_json(ss.str(), cf.path());
  if (!parsed.ok() || !parsed->is_object()) {
    return make_error(ErrorCode::kInvalidArgument, "loading config file: {}: {}", cf.path(),
                      parsed.ok() ? "not a JSON object" : parsed.error().message());
  }
  cf.data_ = std::move(parsed).value();
  return cf;
}

std::string ConfigFile::string_field(const char* key) const {
  auto it = data_.find(key);
  return it != data_.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string ConfigFile::helper_for(const std::string& server) const {
  if (auto helpers = data_.find("credHelpers"); helpers != data_.end() && helpers->is_object()) {
    std::string host = server;
    if (host == kIndexServer) host = "docker.io";
    for (const auto& key : {server, host}) {
      auto it = helpers->find(key);
      if (it != helpers->end() && it->is_string()) return it->get<std::string>();
    }
  }
  return string_field("credsStore");
}

AuthConfig ConfigFile::get_auth(const std::string& server) const {
  AuthConfig auth;
  auth.server_address = server;
  if (std::string helper = helper_for(server); !helper.empty()) {
    auto out = run_helper(helper, "get", server);
    if (out.ok()) {
      auto j = parse_json(*out, "credential helper output");
      if (j.ok() && j->is_object()) {
        std::string user = j->value("Username", "");
        std::string secret = j->value("Secret", "");
        if (user == "<token>") {
          auth.identity_token = secret;
        } else {
          auth.username = user;
          auth.password = secret;
        }
      }
    }
    return auth;
  }
  auto auths = data_.find("auths");
  if (auths == data_.end() || !auths->is_object()) return auth;
  auto it = auths->find(server);
  if (it == auths->end() || !it->is_object()) return auth;
  if (std::string encoded = it->value("auth", ""); !encoded.empty()) {
    if (auto decoded = base64_decode(encoded); decoded.ok()) {
      auto [user, pass] = split_once(*decoded, ':');
      auth.username = std::string(user);
      auth.password = std::string(pass);
    }
  }
  auth.identity_token = it->value("identitytoken", "");
  return auth;
}

bool ConfigFile::has_auth(const std::string& server) const { return !get_auth(server).empty(); }

Status ConfigFile::store_auth(const AuthConfig& auth) {
  const std::string& server = auth.server_address;
  if (std::string helper = helper_for(server); !helper.empty()) {
    Json creds = {{"ServerURL", server},
                  {"Username", auth.identity_token.empty() ? auth.username : "<token>"},
                  {"Secret", auth.identity_token.empty() ? auth.password : auth.identity_token}};
    TRY(run_helper(helper, "store", creds.dump()));
    data_["auths"][server] = Json::object();
    return save();
  }
  Json entry = Json::object();
  entry["auth"] = base64_encode(auth.username + ":" + auth.password);
  if (!auth.identity_token.empty()) entry["identitytoken"] = auth.identity_token;
  data_["auths"][server] = entry;
  return save();
}

Status ConfigFile::erase_auth(const std::string& server) {
  if (std::string helper = helper_for(server); !helper.empty()) {
    (void)run_helper(helper, "erase", server);
  }
  if (auto auths = data_.find("auths"); auths != data_.end() && auths->is_object()) {
    auths->erase(server);
  }
  return save();
}

Status ConfigFile::save() const {
  ::mkdir(dir_.c_str(), 0700);
  std::string tmp = path() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return errno_error(fmt::format("write {}", tmp));
    out << data_.dump(1, '\t') << "\n";
  }
  ::chmod(tmp.c_str(), 0600);
  if (::rename(tmp.c_str(), path().c_str()) != 0) return errno_error(fmt::format("rename {}", tmp));
  return ok_status();
}

}  // namespace berth::client
