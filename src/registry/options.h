// How the registry client reaches registries; the daemon fills this from its configuration
// (dockerd's --insecure-registry, --registry-mirror, /etc/docker/certs.d).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace berth::registry {

struct RegistryOptions {
  // "host:port" or a CIDR: plain HTTP allowed (after HTTPS fails) and TLS not verified.
  std::vector<std::string> insecure_registries;
  // 127.0.0.0/8 and ::1 are insecure by default, as in dockerd; false makes them secure (tests
  // of TLS against a loopback registry need that).
  bool loopback_insecure = true;
  // Registry name -> mirror URLs ("docker.io" -> {"https://mirror.example"}). Pulls try the
  // mirrors in order, then the registry. Mirrors get the credentials stored for the mirror's
  // own host, never the registry's.
  std::map<std::string, std::vector<std::string>> mirrors;
  // <host[:port]>/*.crt, client.cert, client.key, as /etc/docker/certs.d.
  std::string certs_dir = "/etc/berth/certs.d";
  // Attempts per operation (and per mirror for pulls) on network errors, 5xx and 429, with
  // exponential backoff from initial_backoff_ms, jittered; a transfer that made progress
  // starts its count over.
  int max_attempts = 4;
  int initial_backoff_ms = 200;
  int max_backoff_ms = 30'000;
  int connect_timeout_ms = 30'000;
  // A transfer that moves no data for this long is dropped (and retried).
  int stall_timeout_s = 60;
  std::string user_agent = "berth/" BERTH_VERSION;
};

}  // namespace berth::registry
