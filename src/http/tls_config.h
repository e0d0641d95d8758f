// TLS settings as dockerd's and docker's --tlsverify/--tlscacert/--tlscert/--tlskey take them.
// PEM files; TLS 1.2 is the minimum, as in docker's default TLS config.
#pragma once

#include <string>

namespace berth::http {

struct TlsServerConfig {
  std::string cert_file;
  std::string key_file;
  // With verify_client, client certificates must chain to this CA (dockerd --tlsverify).
  std::string ca_file;
  bool verify_client = true;
};

struct TlsClientConfig {
  // The CA the server's certificate must chain to; empty: the system's trust store.
  std::string ca_file;
  // The client certificate and key presented to a --tlsverify daemon; empty: none.
  std::string cert_file;
  std::string key_file;
  // Check the server certificate's name against the host dialled (docker does).
  bool verify_server_name = true;
  // Skip verification altogether (docker --tls without --tlsverify).
  bool insecure_skip_verify = false;
};

}  // namespace berth::http
