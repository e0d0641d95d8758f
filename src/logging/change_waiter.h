// What a following reader blocks on: inotify on the log's directory (the file being appended
// to, renamed away by a rotation, created anew), an eventfd for stop()/writer_closed() from
// other threads, and optionally an fd of the caller's that becomes readable when the writer is
// gone. No polling, no timeouts.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::logging {

class ChangeWaiter {
 public:
  // Starts watching now, so that nothing written after this call can be missed.
  static Result<std::unique_ptr<ChangeWaiter>> create(const std::string& path, int writer_gone_fd);

  // Returns when <path> may have changed, or stop()/writer_closed() was called, or the writer
  // fd is readable. Spurious returns are possible; callers re-check the files.
  Status wait();

  // Thread-safe.
  void stop();
  void writer_closed();

  bool stopped() const { return stopped_.load(); }
  // Whether the writer is known to be gone: writer_closed(), a readable writer fd, or the
  // directory itself removed.
  bool writer_gone();

 private:
  ChangeWaiter(UniqueFd inotify, UniqueFd event, int writer_gone_fd, std::string base);
  bool drain_inotify();

  UniqueFd inotify_;
  UniqueFd event_;
  int writer_gone_fd_;
  std::string base_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> closed_{false};
};

}  // namespace berth::logging
