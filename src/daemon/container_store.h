// Every container berthd knows, in memory and in the database. Lookups follow Docker's rules:
// full id, then name, then a unique id prefix. Each container has its own mutex; hold it while
// changing the container and saving it.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "daemon/container.h"
#include "state/database.h"

namespace berth::daemon {

struct ContainerEntry {
  std::mutex mutex;
  std::condition_variable changed;  // notified (under mutex) on every state change
  Container c;
};
using ContainerRef = std::shared_ptr<ContainerEntry>;

class ContainerStore {
 public:
  static Result<std::unique_ptr<ContainerStore>> open(state::Database& db);

  // "No such container: x" (kNotFound) or "multiple IDs found with provided prefix: x".
  Result<ContainerRef> lookup(std::string_view id_or_name) const;
  // Adds a new container; its name must be free (kConflict with Docker's message).
  Status add(const Container& container);
  // Persists `container` (the caller holds its entry's mutex).
  Status save(const Container& container);
  Status remove(const std::string& id);
  Status rename(const ContainerRef& entry, const std::string& new_name);
  std::vector<ContainerRef> list() const;
  bool name_in_use(const std::string& name) const;

 private:
  explicit ContainerStore(state::Database& db) : db_(db) {}
  Status load();

  state::Database& db_;
  mutable std::shared_mutex mutex_;  // guards the maps, not the containers
  std::map<std::string, ContainerRef> by_id_;
  std::map<std::string, std::string> id_by_name_;
};

// Docker's rule for container names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (a leading '/' allowed).
Status validate_container_name(const std::string& name);
// Strips the leading '/'.
std::string normalize_container_name(std::string_view name);

}  // namespace berth::daemon
