// `docker top`: the host's ps, filtered to the container's processes, as dockerd does it
// (ContainerTop): "ps <ps_args> -q<pids>", or without -q when ps refuses the combination; the
// PID column picks the rows; threads ("-" in PID) follow the process before them.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::daemon {

// {"Titles": [...], "Processes": [[...], ...]}. `ps_args` "" means "-ef".
Result<Json> container_top(const std::vector<pid_t>& pids, const std::string& ps_args);

// The parsing half, for tests: `output` is what ps printed.
Result<Json> parse_ps_output(const std::string& output, const std::vector<pid_t>& pids);

}  // namespace berth::daemon
