// Shared pieces of the registry integration tests.
#pragma once

#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/json.h"
#include "registry/client.h"
#include "registry_process.h"
#include "registry_test_util.h"
#include "store/digest.h"
#include "store/stream.h"

namespace berth::registry {

inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";

inline std::vector<std::string> accept_all() {
  return {kOciManifest, kOciIndex, kDockerManifest};
}

inline std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen() & 0xff);
  return s;
}

struct Blob {
  std::string bytes;
  store::Digest digest;
  explicit Blob(std::string b) : bytes(std::move(b)), digest(store::Digest::of(bytes)) {}
  int64_t size() const { return static_cast<int64_t>(bytes.size()); }
  // open_source for push_blob.
  std::function<Result<std::unique_ptr<store::Reader>>()> source() const {
    return [this]() -> Result<std::unique_ptr<store::Reader>> {
      return std::unique_ptr<store::Reader>(std::make_unique<store::StringReader>(bytes));
    };
  }
};

// An OCI image manifest for a config and layers.
inline std::string image_manifest(const Blob& config, const std::vector<const Blob*>& layers) {
  OrderedJson m = {{"schemaVersion", 2}, {"mediaType", kOciManifest}};
  m["config"] = {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                 {"digest", config.digest.to_string()},
                 {"size", config.size()}};
  m["layers"] = OrderedJson::array();
  for (const Blob* l : layers)
    m["layers"].push_back({{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                           {"digest", l->digest.to_string()},
                           {"size", l->size()}});
  return m.dump();
}

// Collects progress events from any thread.
class ProgressLog {
 public:
  ProgressFn fn() {
    return [this](const Progress& p) {
      std::lock_guard lock(mutex_);
      events_.push_back(p);
    };
  }
  bool saw(const std::string& status) const {
    std::lock_guard lock(mutex_);
    for (const auto& e : events_) {
      if (e.status == status || e.status.starts_with(status)) return true;
    }
    return false;
  }
  std::vector<Progress> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Progress> events_;
};

// Fast retries for tests.
inline RegistryOptions test_options() {
  RegistryOptions o;
  o.initial_backoff_ms = 5;
  o.max_backoff_ms = 50;
  o.certs_dir = "/nonexistent/certs.d";
  return o;
}

#define SKIP_WITHOUT_REGISTRY()                                                             \
  do {                                                                                      \
    if (!path_exists(kRegistryBinary)) GTEST_SKIP() << kRegistryBinary << " not installed"; \
  } while (0)

// Certificates and keys are made with the openssl command.
#define SKIP_WITHOUT_OPENSSL()                                                                    \
  do {                                                                                            \
    if (!path_exists("/usr/bin/openssl")) GTEST_SKIP() << "the openssl command is not installed"; \
  } while (0)

}  // namespace berth::registry
