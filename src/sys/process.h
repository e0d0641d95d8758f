// Facts about processes read from /proc, and waiting on them through pidfds.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::sys {

// Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. With the pid, it names a
// process uniquely (pids are reused; start times are not).
Result<uint64_t> process_start_time(pid_t pid);
// Field 3 of /proc/<pid>/stat ('R', 'S', 'Z', ...).
Result<char> process_state(pid_t pid);
// The pid of `pid` as its own pid namespace sees it (the last NSpid of /proc/<pid>/status).
Result<pid_t> pid_in_own_namespace(pid_t pid);
// True when `pid` is alive (not a zombie) and has the given start time.
bool process_matches(pid_t pid, uint64_t start_time);

Result<UniqueFd> pidfd_open(pid_t pid);
// Waits until the process behind `pidfd` exits or `timeout_ms` passes (-1: forever).
// Returns true when it exited.
Result<bool> pidfd_wait(int pidfd, int timeout_ms);

// Kernel clock ticks per second (sysconf(_SC_CLK_TCK)).
long clock_ticks();
// Boot time in seconds since the epoch (btime in /proc/stat).
Result<int64_t> boot_time();

}  // namespace berth::sys
