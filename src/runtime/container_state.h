// What the runtime remembers about a container between commands: <root>/<id>/state.json
// (written atomically) beside config.json (the bundle's config as it was at create time, with
// later `update`s applied) and exec.fifo (present between create and start).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "oci/runtime_spec.h"

namespace berth::runtime {

enum class ContainerStatus { kCreating, kCreated, kRunning, kPaused, kStopped };

const char* status_name(ContainerStatus status);

struct ContainerState {
  std::string id;
  std::string bundle;
  std::string rootfs;
  pid_t init_pid = 0;
  uint64_t init_start_time = 0;  // /proc/<pid>/stat field 22, to detect pid reuse
  int64_t created_ns = 0;        // Unix nanoseconds
  std::string cgroup_path;
  std::map<std::string, std::string> annotations;
  std::string owner;
  bool has_init_pid_ns =
      true;  // false: the container shares a pid namespace (kill --all needs care)
};

// Container ids: runc's rule, [\w+-\.]+ and not "." or "..".
Status validate_container_id(const std::string& id);

class StateStore {
 public:
  explicit StateStore(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }
  std::string dir(const std::string& id) const { return root_ + "/" + id; }
  std::string fifo_path(const std::string& id) const { return dir(id) + "/exec.fifo"; }

  // Creates <root>/<id> exclusively; kAlreadyExists if a container has that id.
  Status create_dir(const std::string& id);
  Status save(const ContainerState& state);
  Result<ContainerState> load(const std::string& id) const;
  Status save_config(const std::string& id, const oci::Spec& spec);
  Result<oci::Spec> load_config(const std::string& id) const;
  Status remove(const std::string& id);
  Result<std::vector<std::string>> list_ids() const;

  // An exclusive flock on the container's directory, held while a command changes it.
  class Lock {
   public:
    explicit Lock(UniqueFd fd) : fd_(std::move(fd)) {}
    Lock(Lock&&) = default;
    Lock& operator=(Lock&&) = default;
    // Unlocks explicitly: a child cloned meanwhile shares the open file description, and
    // closing our fd alone would leave the lock held by it.
    ~Lock();

   private:
    UniqueFd fd_;
  };
  Result<Lock> lock(const std::string& id) const;

 private:
  std::string root_;
};

// Derives the status from the live system: init alive? exec.fifo present? cgroup frozen?
ContainerStatus current_status(const StateStore& store, const ContainerState& state, bool frozen);

// The state as `state` prints it: the OCI fields plus runc's rootfs/created/owner.
OrderedJson state_to_json(const ContainerState& state, ContainerStatus status);

Json container_state_to_json(const ContainerState& state);
Result<ContainerState> container_state_from_json(const Json& json);

}  // namespace berth::runtime
