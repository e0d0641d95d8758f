// Healthchecks (Config.Healthcheck) as dockerd runs them: while a container runs, a probe (an
// exec of Test's CMD, or of the shell with CMD-SHELL's string) every Interval — StartInterval
// while the container is still "starting" within its StartPeriod — each one killed after
// Timeout. A success makes the container healthy; Retries failures in a row (failures inside
// the start period do not count while it is starting) make it unhealthy. The last five
// results go to State.Health.Log (output cut at 4096 bytes), each change of status is a
// "health_status: <status>" event. Docker's defaults: 30s, 30s, 3 retries, no start period,
// a start interval of 5s.
//
// One thread per watched container: it sleeps on a condition variable between probes and is
// woken at once by unwatch() (the container stopped) or the monitor's destruction.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/unique_fd.h"
#include "daemon/container_service.h"
#include "daemon/exec_service.h"

namespace berth::daemon {

struct HealthSettings {
  std::vector<std::string> test;  // the command to run (the shell added for CMD-SHELL)
  int64_t interval_ns = 30'000'000'000;
  int64_t timeout_ns = 30'000'000'000;
  int64_t start_period_ns = 0;
  int64_t start_interval_ns = 5'000'000'000;
  int retries = 3;
};

// Config.Healthcheck with Docker's defaults; std::nullopt when there is none (or NONE).
std::optional<HealthSettings> health_settings(const Json& config);

// Go's time.Duration.String() ("30s", "1m30s", "500ms"), for dockerd's timeout message.
std::string go_duration(int64_t ns);

class HealthMonitor final : public HealthWatcher {
 public:
  HealthMonitor(ContainerService& containers, ExecService& execs);
  ~HealthMonitor() override;

  void watch(const std::string& id) override;
  void unwatch(const std::string& id) override;

 private:
  struct Watch {
    std::string id;
    int64_t started_at_ns = 0;  // the run being watched
    std::mutex mutex;
    std::condition_variable cv;
    bool stop = false;
    UniqueFd abort;  // eventfd: readable once stopped, to cut a running probe short
  };
  void stop_watch(const std::shared_ptr<Watch>& w);
  void run(std::shared_ptr<Watch> w);
  // Records one probe's result; false when the run being watched is over.
  bool record(Watch& w, const HealthSettings& s, const HealthLogEntry& entry);

  ContainerService& containers_;
  ExecService& execs_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::map<std::string, std::shared_ptr<Watch>> watches_;
  int threads_ = 0;
  bool stopping_ = false;
};

}  // namespace berth::daemon
