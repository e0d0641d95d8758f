// GET /containers/{id}/logs: a reader over the container's log with its driver's format. A
// follower ends when the container stops: the reader is given the shim's `wait` connection as
// its writer-gone signal, which becomes readable once the shim has flushed and closed the log
// and recorded the exit (or died). A container that is not running is read to the end only.
#pragma once

#include <memory>

#include "base/result.h"
#include "base/unique_fd.h"
#include "daemon/container_service.h"
#include "logging/log_reader.h"

namespace berth::daemon {

class ContainerLogs {
 public:
  static Result<std::unique_ptr<ContainerLogs>> open(ContainerService& service,
                                                     const ContainerRef& entry,
                                                     logging::ReadOptions options);
  logging::LogReader& reader() { return *reader_; }
  // Whether the container has a TTY (its output is not split into stdout and stderr).
  bool tty() const { return tty_; }

 private:
  ContainerLogs() = default;
  UniqueFd writer_gone_;  // declared first: it must outlive the reader
  std::unique_ptr<logging::LogReader> reader_;
  bool tty_ = false;
};

// The log driver a container uses (its LogConfig.Type, else the daemon's default).
std::string log_driver_of(const Container& c, const DaemonConfig& config);

}  // namespace berth::daemon
