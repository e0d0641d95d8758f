// The OCI runtime as a library: one method per lifecycle operation of the runtime spec
// (runtime.md), over a state directory. `berth-runtime` (runc's command line) and the engine's
// shim both drive containers through this class.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "cgroups/layout.h"
#include "cgroups/manager.h"
#include "oci/runtime_spec.h"
#include "runtime/container_state.h"

namespace berth::runtime {

struct RuntimeConfig {
  std::string root = "/run/berth-runtime";
  // Injected by tests; detected from /proc/self/mountinfo when absent.
  std::optional<cgroups::Layout> cgroup_layout;
};

struct CreateOptions {
  std::string id;
  std::string bundle;          // absolute or relative to the cwd
  std::string pid_file;        // written with the init's pid once created
  std::string console_socket;  // unix socket receiving the pty master (process.terminal)
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
  // For `run` in the foreground: a socket of our own receives the pty master, which the
  // caller then relays to its terminal.
  int console_socket_fd = -1;
};

struct ExecOptions {
  std::string id;
  oci::Process process;
  std::string console_socket;
  int console_socket_fd = -1;
  std::string pid_file;
  int preserve_fds = 0;
};

struct ListEntry {
  ContainerState state;
  ContainerStatus status = ContainerStatus::kStopped;
};

class Runtime {
 public:
  explicit Runtime(RuntimeConfig config);

  // create: sets up the container and leaves its init waiting for `start`. The init is a child
  // of the calling process. Returns its pid.
  Result<pid_t> create(const CreateOptions& options);
  // start: lets the init exec the user process, then runs poststart hooks.
  Status start(const std::string& id);
  Result<OrderedJson> state(const std::string& id);
  Status kill(const std::string& id, int signal, bool all);
  // delete (a C++ keyword): stops nothing unless `force`; removes the cgroup and state.
  Status remove(const std::string& id, bool force);
  Status pause(const std::string& id);
  Status resume(const std::string& id);
  Result<std::vector<pid_t>> pids(const std::string& id);
  Result<Json> stats(const std::string& id);
  Status update(const std::string& id, const oci::Resources& resources);
  Result<std::vector<ListEntry>> list();
  // exec: starts an extra process in the container; it is a child of the calling process.
  Result<pid_t> exec(const ExecOptions& options);

  // The container's status and state (for the CLI and the shim).
  Result<ListEntry> lookup(const std::string& id);
  Result<std::unique_ptr<cgroups::Manager>> cgroup_manager(const ContainerState& state);

  const StateStore& store() const { return store_; }

 private:
  Result<const cgroups::Layout*> layout();
  Status run_poststop_hooks(const ContainerState& state);

  RuntimeConfig config_;
  StateStore store_;
};

}  // namespace berth::runtime
