// The child side of `exec`: joins a running container's namespaces and execs a process in it.
#pragma once

#include "runtime/process_plan.h"

namespace berth::runtime {

struct ExecPlan {
  ProcessPlan process;
  int init_pidfd = -1;  // the container's init
  int setns_flags = 0;  // namespaces to join through the pidfd (not the pid namespace)
  int sync_fd = -1;
  int console_socket_fd = -1;
};

[[noreturn]] void run_exec_child(ExecPlan& plan) noexcept;

}  // namespace berth::runtime
