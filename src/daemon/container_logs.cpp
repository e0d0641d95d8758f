#include "daemon/container_logs.h"

namespace berth::daemon {

std::string log_driver_of(const Container& c, const DaemonConfig& config) {
  std::string driver;
  if (c.host_config.contains("LogConfig") && c.host_config["LogConfig"].is_object())
    driver = c.host_config["LogConfig"].value("Type", std::string());
  return driver.empty() ? config.log_driver : driver;
}

Result<std::unique_ptr<ContainerLogs>> ContainerLogs::open(ContainerService& service,
                                                           const ContainerRef& entry,
                                                           logging::ReadOptions options) {
  std::unique_ptr<ContainerLogs> logs(new ContainerLogs());
  std::string driver;
  std::string path;
  bool running = false;
  std::string bundle;
  {
    std::lock_guard lock(entry->mutex);
    const Container& c = entry->c;
    driver = log_driver_of(c, *service.deps().config);
    path = c.log_path;
    logs->tty_ = c.config.value("Tty", false);
    running = c.state.status == ContainerStatus::kRunning ||
              c.state.status == ContainerStatus::kPaused;
    bundle = service.bundle_dir(c.id);
  }
  bool writer_gone = !running;
  if (options.follow && running) {
    // Watch the shim first, then open the reader, so an exit in between is not missed.
    auto wait = shim_open_stream(bundle, Json{{"op", "wait"}});
    if (!wait.ok() || wait->reply.contains("exit_code") || !wait->leftover.empty()) {
      writer_gone = true;
    } else {
      logs->writer_gone_ = std::move(wait->fd);
      options.writer_gone_fd = logs->writer_gone_.get();
    }
  }
  logs->reader_ = TRY(logging::open_log_reader(driver, path, options));
  if (options.follow && writer_gone) logs->reader_->writer_closed();
  return logs;
}

}  // namespace berth::daemon
