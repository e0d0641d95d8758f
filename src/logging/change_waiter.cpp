#include "logging/change_waiter.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>

#include <cstring>

#include "base/file_util.h"

namespace berth::logging {
namespace {

constexpr uint32_t kDirEvents = IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE |
                                IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool readable(int fd) {
  if (fd < 0) return false;
  struct pollfd p = {fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

}  // namespace

ChangeWaiter::ChangeWaiter(UniqueFd inotify, UniqueFd event, int writer_gone_fd, std::string base)
    : inotify_(std::move(inotify)),
      event_(std::move(event)),
      writer_gone_fd_(writer_gone_fd),
      base_(std::move(base)) {}

Result<std::unique_ptr<ChangeWaiter>> ChangeWaiter::create(const std::string& path,
                                                           int writer_gone_fd) {
  UniqueFd inotify(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify) return errno_error("inotify_init1");
  std::string dir = dirname(path);
  // The directory rather than the file: the file is replaced at every rotation, and its
  // replacement must be seen being created.
  if (::inotify_add_watch(inotify.get(), dir.c_str(), kDirEvents) < 0)
    return errno_error("watch log directory " + dir);
  UniqueFd event(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!event) return errno_error("eventfd");
  return std::unique_ptr<ChangeWaiter>(
      new ChangeWaiter(std::move(inotify), std::move(event), writer_gone_fd, basename(path)));
}

void ChangeWaiter::stop() {
  stopped_.store(true);
  uint64_t one = 1;
  (void)!::write(event_.get(), &one, sizeof(one));
}

void ChangeWaiter::writer_closed() {
  closed_.store(true);
  uint64_t one = 1;
  (void)!::write(event_.get(), &one, sizeof(one));
}

bool ChangeWaiter::writer_gone() {
  return closed_.load() || readable(writer_gone_fd_);
}

// Reads every queued event; true when one concerns the log file or the directory itself.
bool ChangeWaiter::drain_inotify() {
  alignas(struct inotify_event) char buf[8192];
  bool relevant = false;
  for (;;) {
    ssize_t n = ::read(inotify_.get(), buf, sizeof(buf));
    if (n <= 0) break;
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const struct inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(struct inotify_event) + ev->len);
      if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)) {
        // The container's directory is gone: nothing more will be written there.
        closed_.store(true);
        relevant = true;
      } else if (ev->mask & IN_Q_OVERFLOW) {
        relevant = true;
      } else if (ev->len > 0 && base_ == ev->name) {
        relevant = true;
      }
    }
  }
  return relevant;
}

Status ChangeWaiter::wait() {
  for (;;) {
    if (stopped_.load() || closed_.load()) return ok_status();
    struct pollfd fds[3] = {
        {inotify_.get(), POLLIN, 0}, {event_.get(), POLLIN, 0}, {writer_gone_fd_, POLLIN, 0}};
    int nfds = writer_gone_fd_ >= 0 ? 3 : 2;
    int r = ::poll(fds, static_cast<nfds_t>(nfds), -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      return errno_error("poll");
    }
    if (fds[1].revents != 0) {
      uint64_t v = 0;
      (void)!::read(event_.get(), &v, sizeof(v));
      return ok_status();
    }
    if (nfds == 3 && fds[2].revents != 0) return ok_status();
    if (fds[0].revents != 0 && drain_inotify()) return ok_status();
  }
}

}  // namespace berth::logging
