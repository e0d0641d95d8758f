#include "daemon/exit_monitor.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_util.h"
#include "base/log.h"
#include "base/time_format.h"
#include "daemon/shim_client.h"
#include "shim/protocol.h"

namespace berth::daemon {

Result<shim::ExitRecord> read_exit_record(const std::string& bundle) {
  std::string text = TRY(read_file(shim::exit_file_path(bundle)));
  Json j = TRY(parse_json(text, "exit.json"));
  return shim::exit_record_from_json(j);
}

ExitMonitor::ExitMonitor(Callback on_exit) : on_exit_(std::move(on_exit)) {
  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  wake_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  struct epoll_event ev {};
  ev.events = EPOLLIN;
  ev.data.fd = wake_.get();
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &ev);
  thread_ = std::thread([this] { loop(); });
}

ExitMonitor::~ExitMonitor() {
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

void ExitMonitor::report_from_file(const std::string& id, const std::string& bundle) {
  auto record = read_exit_record(bundle);
  if (record.ok()) {
    on_exit_(id, *record);
    return;
  }
  // The shim died without recording an exit (killed, or the machine rebooted).
  shim::ExitRecord unknown;
  unknown.exit_code = 255;
  unknown.exited_at_ns = unix_nanos_now();
  on_exit_(id, unknown);
}

void ExitMonitor::watch(const std::string& id, const std::string& bundle) {
  auto stream = shim_open_stream(bundle, Json{{"op", "wait"}});
  if (!stream.ok()) {
    report_from_file(id, bundle);
    return;
  }
  // The shim answers "wait" at once when the container already exited.
  if (stream->reply.contains("exit_code")) {
    auto record = shim::exit_record_from_json(stream->reply);
    if (record.ok()) {
      on_exit_(id, *record);
      return;
    }
  }
  std::lock_guard lock(mutex_);
  int fd = stream->fd.get();
  Watched w{id, bundle, std::move(stream->fd), std::move(stream->leftover)};
  struct epoll_event ev {};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = fd;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
  watched_.emplace(fd, std::move(w));
}

void ExitMonitor::loop() {
  struct epoll_event events[64];
  while (true) {
    int n = ::epoll_wait(epoll_.get(), events, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      log::error("exit monitor: epoll_wait: {}", std::strerror(errno));
      return;
    }
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == wake_.get()) return;
      Watched w;
      {
        std::lock_guard lock(mutex_);
        auto it = watched_.find(fd);
        if (it == watched_.end()) continue;
        char buf[4096];
        ssize_t got = ::read(fd, buf, sizeof buf);
        if (got > 0) {
          it->second.buffer.append(buf, static_cast<size_t>(got));
          if (it->second.buffer.find('\n') == std::string::npos) continue;
        } else if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
          continue;
        }
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
        w = std::move(it->second);
        watched_.erase(it);
      }
      size_t nl = w.buffer.find('\n');
      auto parsed = nl == std::string::npos ? Result<Json>(Error(ErrorCode::kUnavailable, "eof"))
                                            : parse_json(w.buffer.substr(0, nl), "shim wait reply");
      if (parsed.ok()) {
        auto record = shim::exit_record_from_json(*parsed);
        if (record.ok()) {
          on_exit_(w.id, *record);
          continue;
        }
      }
      report_from_file(w.id, w.bundle);
    }
  }
}

}  // namespace berth::daemon
