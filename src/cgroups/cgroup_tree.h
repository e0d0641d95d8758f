// Operations on one cgroup directory and its descendants, the same in every hierarchy.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"

namespace berth::cgroups {

// mkdir -p of `path` under `mount`, returning each directory from the mount's child down to the
// leaf, so callers can initialise the levels (cpuset, subtree_control).
Result<std::vector<std::string>> make_cgroup_dirs(const std::string& mount,
                                                  const std::string& path);

// Writes `pid` to <dir>/cgroup.procs. EINVAL is retried briefly: a task still being forked
// (TASK_NEW) cannot move yet.
Status add_pid(const std::string& dir, pid_t pid);

// The pids in cgroup.procs of `dir` and of every cgroup below it.
Result<std::vector<pid_t>> read_pids_recursive(const std::string& dir);

// Sends `sig` to every pid; a pid that is already gone is not an error.
Status signal_pids(const std::vector<pid_t>& pids, int sig);

// rmdir of `dir` and its descendants, deepest first, retrying EBUSY for a moment while exiting
// processes leave. Succeeds when `dir` does not exist. Off cgroupfs (tests over a temp dir) the
// plain files the test made stand in for control files are removed too.
Status remove_cgroup_dir(const std::string& dir);

}  // namespace berth::cgroups
