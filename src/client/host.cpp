#include "client/host.h"

#include <sys/stat.h>

#include <cstdlib>

#include <fmt/format.h>

#include "base/strings.h"

namespace berth::client {
namespace {

constexpr std::string_view kDefaultHttpPort = "2375";
constexpr std::string_view kDefaultTlsPort = "2376";

Error bad_address(std::string_view addr) {
  return make_error(ErrorCode::kInvalidArgument, "invalid bind address format: {}", addr);
}

// docker's ParseTCPAddr: fills in localhost and the default port.
Result<std::string> parse_tcp(std::string_view try_addr, std::string_view default_port) {
  if (try_addr.empty() || try_addr == "tcp://") {
    return fmt::format("tcp://localhost:{}", default_port);
  }
  std::string_view addr = try_addr;
  if (addr.starts_with("tcp://")) addr.remove_prefix(6);
  if (addr.find("://") != std::string_view::npos || addr.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "invalid proto, expected tcp: {}", try_addr);
  }
  // Split off a path (docker keeps it: tcp://host:port/path).
  std::string path;
  if (size_t slash = addr.find('/'); slash != std::string_view::npos) {
    path = std::string(addr.substr(slash));
    addr = addr.substr(0, slash);
  }
  std::string host;
  std::string port;
  if (!addr.empty() && addr[0] == '[') {
    size_t close = addr.find(']');
    if (close == std::string_view::npos) return bad_address(try_addr);
    host = std::string(addr.substr(1, close - 1));
    std::string_view rest = addr.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return bad_address(try_addr);
      port = std::string(rest.substr(1));
    }
  } else {
    size_t colon = addr.rfind(':');
    if (colon != std::string_view::npos && addr.find(':') != colon) return bad_address(try_addr);
    if (colon == std::string_view::npos) {
      host = std::string(addr);
    } else {
      host = std::string(addr.substr(0, colon));
      port = std::string(addr.substr(colon + 1));
    }
  }
  if (host.empty()) host = "localhost";
  if (port.empty()) port = std::string(default_port);
  auto p = parse_int(port);
  if (!p.ok() || *p <= 0 || *p > 65535) return bad_address(try_addr);
  bool v6 = host.find(':') != std::string::npos;
  return fmt::format("tcp://{}{}{}:{}{}", v6 ? "[" : "", host, v6 ? "]" : "", port, path);
}

std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "/root";
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<std::string> parse_host(std::string_view value, bool default_tls) {
  std::string_view addr = trim(value);
  if (addr.empty()) {
    return default_tls ? fmt::format("tcp://localhost:{}", kDefaultTlsPort)
                       : std::string(kDefaultHost);
  }
  size_t sep = addr.find("://");
  std::string_view proto = sep == std::string_view::npos ? "tcp" : addr.substr(0, sep);
  std::string_view rest = sep == std::string_view::npos ? addr : addr.substr(sep + 3);
  if (proto == "tcp") return parse_tcp(rest, default_tls ? kDefaultTlsPort : kDefaultHttpPort);
  if (proto == "unix") {
    if (rest.find("://") != std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument, "invalid proto, expected unix: {}", rest);
    }
    return fmt::format("unix://{}", rest.empty() ? kDefaultSocket : rest);
  }
  if (proto == "fd" || proto == "ssh" || proto == "npipe") {
    return make_error(ErrorCode::kUnimplemented, "{}:// hosts are not supported by berth: {}",
                      proto, addr);
  }
  return bad_address(addr);
}

Result<Endpoint> resolve_endpoint(const HostOptions& options, const EnvLookup& env) {
  if (options.hosts.size() > 1) {
    return Error(ErrorCode::kInvalidArgument, "Specify only one -H");
  }
  Endpoint endpoint;
  auto env_nonempty = [&](std::string_view name) {
    auto v = env(name);
    return v && !v->empty() ? v : std::nullopt;
  };
  bool verify = options.tls_verify || env_nonempty("BERTH_TLS_VERIFY").has_value();
  bool use_tls = options.tls || verify;

  std::string raw;
  if (!options.hosts.empty()) {
    raw = options.hosts[0];
  } else if (auto h = env_nonempty("BERTH_HOST")) {
    raw = *h;
  } else {
    endpoint.is_default = true;
  }
  endpoint.host = TRY(parse_host(raw, use_tls && !raw.empty()));
  if (endpoint.is_default) endpoint.host = std::string(kDefaultHost);

  if (use_tls && endpoint.host.starts_with("tcp://")) {
    std::string dir = env_nonempty("BERTH_CERT_PATH").value_or(
        options.config_dir.empty() ? home_dir() + "/.docker" : options.config_dir);
    auto pick = [&](const std::string& flag, const char* file) {
      if (!flag.empty()) return flag;
      std::string path = dir + "/" + file;
      return file_exists(path) ? path : std::string();
    };
    http::TlsClientConfig tls;
    tls.ca_file = verify ? pick(options.tls_ca_cert, "ca.pem") : options.tls_ca_cert;
    tls.cert_file = pick(options.tls_cert, "cert.pem");
    tls.key_file = pick(options.tls_key, "key.pem");
    tls.insecure_skip_verify = !verify;
    endpoint.tls = tls;
  }
  return endpoint;
}

std::string unix_socket_path(std::string_view host) {
  if (!host.starts_with("unix://")) return "";
  return std::string(host.substr(7));
}

}  // namespace berth::client
