// Learns when containers exit: one "wait" connection per running container's shim, all watched
// by a single epoll thread. A shim that vanished without answering is reported too (its
// exit.json, if any, tells the exit status).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "base/unique_fd.h"
#include "shim/shim_config.h"

namespace berth::daemon {

class ExitMonitor {
 public:
  using Callback = std::function<void(const std::string& id, const shim::ExitRecord& record)>;

  explicit ExitMonitor(Callback on_exit);
  ~ExitMonitor();
  ExitMonitor(const ExitMonitor&) = delete;
  ExitMonitor& operator=(const ExitMonitor&) = delete;

  // Starts watching a container whose shim serves `bundle`/shim.sock. When the shim cannot be
  // reached, the exit is reported at once from exit.json (or as exit code 255 when missing).
  void watch(const std::string& id, const std::string& bundle);

 private:
  struct Watched {
    std::string id;
    std::string bundle;
    UniqueFd fd;
    std::string buffer;
  };
  void loop();
  void report_from_file(const std::string& id, const std::string& bundle);

  Callback on_exit_;
  UniqueFd epoll_;
  UniqueFd wake_;  // eventfd: stop
  std::mutex mutex_;
  std::map<int, Watched> watched_;
  std::thread thread_;
};

// Reads <bundle>/exit.json; nullopt-like error when absent.
Result<shim::ExitRecord> read_exit_record(const std::string& bundle);

}  // namespace berth::daemon
