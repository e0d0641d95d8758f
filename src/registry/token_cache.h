// Bearer tokens by (realm, service, scopes, identity), kept until shortly before they expire.
// Thread-safe; the clock is injectable for tests.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace berth::registry {

class TokenCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit TokenCache(Clock clock = nullptr);

  // Scopes are sorted, so the same set in any order is the same key.
  static std::string key(std::string_view realm, std::string_view service,
                         std::vector<std::string> scopes, std::string_view identity);

  std::optional<std::string> get(const std::string& key) const;
  // A token counts as expired a little early (a tenth of its life, at most 30 s), so that it
  // does not lapse between our check and the registry's.
  void put(const std::string& key, std::string token, std::chrono::seconds expires_in);
  void erase(const std::string& key);

 private:
  struct Entry {
    std::string token;
    std::chrono::steady_clock::time_point expires;
  };
  Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace berth::registry
