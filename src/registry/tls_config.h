// Per-registry TLS settings from a certs.d directory laid out as /etc/docker/certs.d:
//   <certs_dir>/<host[:port]>/*.crt              extra CA certificates (added to the system's)
//   <certs_dir>/<host[:port]>/<name>.cert + .key  a client certificate and its key
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::registry {

struct TlsConfig {
  bool verify = true;            // false for insecure registries (dockerd's InsecureSkipVerify)
  std::string extra_ca_pem;      // concatenated *.crt, trusted besides the system CAs
  std::string client_cert_path;  // PEM
  std::string client_key_path;   // PEM
  std::string source_dir;        // the certs.d directory these came from, for error messages
};

// Reads <certs_dir>/<host>; a missing directory is the default config. A .cert without its
// .key (or the reverse) is an error, as in docker.
Result<TlsConfig> load_tls_config(const std::string& certs_dir, std::string_view host);

}  // namespace berth::registry
