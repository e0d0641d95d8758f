// `start`: opening exec.fifo for reading releases the init, which execs the user process.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"
#include "runtime/hooks.h"
#include "runtime/runtime.h"
#include "sys/process.h"

namespace berth::runtime {

Status Runtime::start(const std::string& id) {
  auto lock = TRY(store_.lock(id));
  ListEntry entry = TRY(lookup(id));
  switch (entry.status) {
    case ContainerStatus::kCreated: break;
    case ContainerStatus::kStopped:
      return Error(ErrorCode::kFailedPrecondition, "cannot start a container that has stopped");
    default:
      return Error(ErrorCode::kFailedPrecondition, "cannot start an already running container");
  }
  std::string fifo = store_.fifo_path(id);
  UniqueFd fd(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return errno_error("open " + fifo);
  UniqueFd pidfd = TRY(sys::pidfd_open(entry.state.init_pid));
  // The init writes one byte once the startContainer hooks ran, then execs the process, which
  // closes its end of the fifo. Wait for both (or for the init to die: a fifo never seen by a
  // writer does not report POLLHUP, so watch the process too).
  bool got_byte = false;
  while (true) {
    struct pollfd fds[2] = {{fd.get(), POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
    int rc = ::poll(fds, 2, -1);
    if (rc < 0) {
      if (errno == EINTR) continue;
      return errno_error("poll exec fifo");
    }
    char byte;
    ssize_t n = ::read(fd.get(), &byte, 1);
    if (n == 1) {
      if (!got_byte) ::unlink(fifo.c_str());  // from now on the container counts as running
      got_byte = true;
      continue;
    }
    if (n == 0 && got_byte) break;  // the process was exec'd (or the init died: status says)
    if (n < 0 && errno != EAGAIN && errno != EINTR) return errno_error("read exec fifo");
    if (fds[1].revents & POLLIN) {
      if (got_byte) break;
      ::unlink(fifo.c_str());
      return Error(ErrorCode::kFailedPrecondition,
                   "container init exited before the process started (see its stderr)");
    }
  }

  auto spec = store_.load_config(id);
  if (spec.ok() && spec->hooks && !spec->hooks->poststart.empty()) {
    OrderedJson j;
    j["ociVersion"] = oci::kRuntimeSpecVersion;
    j["id"] = id;
    j["status"] = "running";
    j["pid"] = entry.state.init_pid;
    j["bundle"] = entry.state.bundle;
    if (!entry.state.annotations.empty()) j["annotations"] = entry.state.annotations;
    // The spec: a failing poststart hook is a warning; the container keeps running.
    auto st = run_hooks(make_hook_commands(spec->hooks->poststart), "poststart", j.dump());
    if (!st.ok()) log::warn("{}", st.error().to_string());
  }
  return {};
}

}  // namespace berth::runtime
