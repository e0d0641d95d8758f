#include "http/detail/server_state.h"

namespace berth::http::detail {

void ServerState::add(const std::shared_ptr<ServerConnection>& connection) {
  std::lock_guard lock(mu_);
  connections_[connection.get()] = connection;
}

void ServerState::remove(ServerConnection* connection) {
  std::lock_guard lock(mu_);
  connections_.erase(connection);
}

std::vector<std::shared_ptr<ServerConnection>> ServerState::connections() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<ServerConnection>> out;
  out.reserve(connections_.size());
  for (auto& [ptr, weak] : connections_) {
    if (auto strong = weak.lock()) out.push_back(std::move(strong));
  }
  return out;
}

size_t ServerState::connection_count() {
  std::lock_guard lock(mu_);
  return connections_.size();
}

}  // namespace berth::http::detail
