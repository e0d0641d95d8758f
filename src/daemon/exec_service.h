// `docker exec`: exec instances created in running containers, started through the
// container's shim (its `exec` operation), their exits recorded, with dockerd's events
// (exec_create, exec_start, exec_die), errors and exit codes (126/127 when the process cannot
// be started). Healthchecks run their probes through here too.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "daemon/container_service.h"
#include "daemon/exec_store.h"
#include "daemon/shim_client.h"

namespace berth::daemon {

struct ExecStartOptions {
  std::optional<std::array<uint32_t, 2>> console_size;  // height, width
};

// A started exec: its process runs, its output arrives as frames on `stream`.
struct StartedExec {
  ExecConfig config;
  ShimStream stream;
  UniqueFd pidfd;  // to kill the process when its client goes away
};

struct ProbeResult {
  int exit_code = 0;
  std::string output;
  bool timed_out = false;
};

// dockerd's setExitCodeFromError: 126 when the command cannot be invoked (permission denied,
// a directory), 127 when it is not found, 128 otherwise.
int exit_code_for_start_error(const std::string& text);

class ExecService {
 public:
  explicit ExecService(ContainerService& containers);
  ~ExecService();
  ExecService(const ExecService&) = delete;
  ExecService& operator=(const ExecService&) = delete;

  // POST /containers/{id}/exec: returns the new exec's id.
  Result<std::string> create(const std::string& container_ref, const Json& body);
  // Checks that the exec exists and may start now (it has not run, its container runs).
  Result<ExecConfig> check_startable(const std::string& id);
  // Starts the process. On failure the exec is recorded as exited with dockerd's code and the
  // error says why ("OCI runtime exec failed: ...").
  Result<StartedExec> start(const std::string& id, const ExecStartOptions& options);
  // Records the exit of a started exec and publishes exec_die.
  void finish(const std::string& id, int exit_code);
  // Reads what is left of a started exec's stream on a thread of its own and records its exit
  // (detached execs). With `kill` the process is killed first (its client went away).
  void finish_in_background(StartedExec exec, bool kill);
  // The client typed the detach keys: an exec_detach event.
  void detached(const std::string& id);

  Result<Json> inspect(const std::string& id);
  Status resize(const std::string& id, int height, int width);
  // inspect's ExecIDs.
  std::vector<std::string> active_ids(const std::string& container_id) const;

  // Runs `cmd` as an exec of the container with its stdout and stderr captured (at most
  // `max_output` bytes kept), killed after `timeout` or as soon as `abort_fd` is readable.
  Result<ProbeResult> run_probe(const std::string& container_id,
                                const std::vector<std::string>& cmd,
                                std::chrono::nanoseconds timeout, size_t max_output,
                                int abort_fd);

 private:
  void publish(const std::string& container_id, const std::string& action,
               std::map<std::string, std::string> attributes);
  void forget_removed_containers();
  Result<ExecConfig> make_config(ContainerEntry& entry, const Json& body);

  ContainerService& containers_;
  ExecStore store_;
  // Background readers, so the destructor can stop and wait for them.
  std::mutex mutex_;
  std::condition_variable idle_;
  std::set<int> background_fds_;
  int background_ = 0;
  bool stopping_ = false;
};

}  // namespace berth::daemon
