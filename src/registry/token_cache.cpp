#include "registry/token_cache.h"

#include <algorithm>

#include "base/strings.h"

namespace berth::registry {

TokenCache::TokenCache(Clock clock)
    : clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

std::string TokenCache::key(std::string_view realm, std::string_view service,
                            std::vector<std::string> scopes, std::string_view identity) {
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  return fmt::format("{}\n{}\n{}\n{}", realm, service, join(scopes, " "), identity);
}

std::optional<std::string> TokenCache::get(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || clock_() >= it->second.expires) return std::nullopt;
  return it->second.token;
}

void TokenCache::put(const std::string& key, std::string token, std::chrono::seconds expires_in) {
  auto margin = std::min<std::chrono::seconds>(expires_in / 10, std::chrono::seconds(30));
  std::lock_guard lock(mutex_);
  entries_[key] = Entry{std::move(token), clock_() + expires_in - margin};
}

void TokenCache::erase(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

}  // namespace berth::registry
