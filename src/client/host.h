// Where the berth CLI connects: the docker CLI's host rules, with BERTH_* environment variables
// in place of DOCKER_*.
//
//   -H/--host flag  >  BERTH_HOST  >  unix:///run/berth/berth.sock
//   --tlsverify or BERTH_TLS_VERIFY (non-empty): TLS, server verified against ca.pem
//   --tls: TLS without verification (unless --tlsverify)
//   cert files: --tlscacert/--tlscert/--tlskey, else BERTH_CERT_PATH/{ca,cert,key}.pem, else
//   <config dir>/{ca,cert,key}.pem
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "http/tls_config.h"

namespace berth::client {

inline constexpr std::string_view kDefaultSocket = "/run/berth/berth.sock";
inline constexpr std::string_view kDefaultHost = "unix:///run/berth/berth.sock";

// Reads an environment variable; tests inject a map.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup process_env();

struct HostOptions {
  std::vector<std::string> hosts;  // -H, may be given once
  bool tls = false;
  bool tls_verify = false;
  std::string tls_ca_cert;  // empty: default location
  std::string tls_cert;
  std::string tls_key;
  std::string config_dir;  // where default cert files live
};

struct Endpoint {
  // Normalised: "unix:///run/berth/berth.sock", "tcp://host:2376".
  std::string host;
  std::optional<http::TlsClientConfig> tls;
  // No host given anywhere: the default socket, which the CLI may start berthd behind.
  bool is_default = false;
};

// docker's opts.ParseHost: "" → default; "unix://" → default socket; "tcp://h" → port 2375
// (2376 with TLS); "h:p" → tcp. Errors: "invalid bind address format: foo://x".
Result<std::string> parse_host(std::string_view value, bool default_tls);

// Applies flags, then environment, then defaults.
Result<Endpoint> resolve_endpoint(const HostOptions& options, const EnvLookup& env);

// The unix socket path of a "unix://" host, or "" for other hosts.
std::string unix_socket_path(std::string_view host);

}  // namespace berth::client
