// The real CNCF distribution registry (Debian's docker-registry) run by a test: storage in a
// temp dir, listening on a free 127.0.0.1 port, killed when the object goes.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "base/result.h"

namespace berth::registry {

constexpr const char* kRegistryBinary = "/usr/bin/docker-registry";

struct RegistryConfig {
  std::string auth_yaml;  // an "auth:" section, or ""
  std::string tls_cert;   // PEM paths: serve HTTPS when set
  std::string tls_key;
  std::string client_ca;  // require client certificates signed by this CA
};

class RegistryProcess {
 public:
  static Result<std::unique_ptr<RegistryProcess>> start(const std::string& dir,
                                                        const RegistryConfig& config);
  ~RegistryProcess();

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& storage() const { return storage_; }
  // Where the registry keeps a blob's bytes (filesystem driver layout).
  std::string blob_data_path(const std::string& hex) const;
  std::string log() const;

 private:
  RegistryProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string storage_;
  std::string log_path_;
};

// Runs `command` with /bin/sh; its combined output, or an error with it.
Result<std::string> run_shell(const std::string& command);

}  // namespace berth::registry
