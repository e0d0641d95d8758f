#include "api/stream_relay.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/unique_fd.h"
#include "daemon/detach_keys.h"
#include "daemon/shim_frames.h"

namespace berth::api {
namespace {

constexpr auto kInputDrainTimeout = std::chrono::seconds(5);

}  // namespace

Status write_output(http::HijackedConnection& client, bool tty, http::StdStream stream,
                    std::string_view data) {
  if (data.empty()) return {};
  if (tty) return client.write(data);
  return client.write(http::stdcopy_encode(stream, data));
}

RelayResult relay_stream(http::HijackedConnection& client, daemon::ShimStream& shim,
                         const RelayOptions& options, const std::function<void(int)>& on_exit) {
  UniqueFd stop(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  auto signal_stop = [&] {
    uint64_t one = 1;
    (void)!::write(stop.get(), &one, sizeof one);
  };
  std::atomic<bool> detached{false};
  std::atomic<bool> input_ended{false};
  std::atomic<bool> client_gone{false};
  int shim_fd = shim.fd.get();

  // The input side outlives the shim stream: what the client still sends once the process is
  // gone is read and dropped, so that closing the connection later does not reset it (a reset
  // would lose the end of the output on the client's side).
  std::mutex input_mutex;
  std::condition_variable input_cv;
  bool input_done = false;
  auto finish_input = [&] {
    std::lock_guard lock(input_mutex);
    input_done = true;
    input_cv.notify_all();
  };
  std::thread input;
  if (options.forward_stdin) {
    input = std::thread([&] {
      daemon::DetachDetector detector(options.tty ? options.detach_keys : std::string());
      bool shim_open = true;
      char buf[16384];
      while (true) {
        auto n = client.read(buf, sizeof buf);
        if (!n.ok()) {
          client_gone = true;
          signal_stop();
          break;
        }
        if (*n == 0) {
          if (!shim_open) break;
          if (options.close_stdin_on_eof) {
            (void)daemon::send_shim_frame(shim_fd, shim::FrameKind::kCloseStdin);
          } else {
            input_ended = true;
            signal_stop();
          }
          break;
        }
        if (!shim_open) continue;
        std::string out;
        bool detach = detector.feed(std::string_view(buf, *n), out);
        if (!out.empty() && !daemon::send_shim_frame(shim_fd, shim::FrameKind::kStdin, out).ok()) {
          shim_open = false;  // the process is gone: drain the rest
          continue;
        }
        if (detach) {
          detached = true;
          signal_stop();
          break;
        }
      }
      finish_input();
    });
  }

  RelayResult result;
  daemon::ShimFrameReader reader(shim);
  while (true) {
    auto frame = reader.next(-1, stop.get());
    if (!frame.ok()) {
      // Stopped by the input side.
      result.end = detached      ? RelayEnd::kDetached
                   : client_gone ? RelayEnd::kClientGone
                                 : RelayEnd::kInputEnded;
      break;
    }
    if (!*frame) {
      result.end = RelayEnd::kStreamEnded;
      break;
    }
    const daemon::ShimFrame& f = **frame;
    if (f.kind == shim::FrameKind::kExit) {
      result.end = RelayEnd::kExited;
      result.exit_code = daemon::exit_code_of(f);
      if (on_exit) on_exit(result.exit_code);
      break;
    }
    bool is_stdout = f.kind == shim::FrameKind::kStdout;
    if (!is_stdout && f.kind != shim::FrameKind::kStderr) continue;
    if ((is_stdout && !options.stdout) || (!is_stdout && !options.stderr)) continue;
    auto st = write_output(client, options.tty,
                           is_stdout ? http::StdStream::kStdout : http::StdStream::kStderr,
                           f.payload);
    if (!st.ok()) {
      result.end = RelayEnd::kClientGone;
      break;
    }
  }
  // The client reads what was written, then EOF, and closes its side, which ends the input
  // side; a client that keeps its side open is cut off after a grace period.
  (void)client.close_write();
  if (input.joinable()) {
    std::unique_lock lock(input_mutex);
    input_cv.wait_for(lock, kInputDrainTimeout, [&] { return input_done; });
  }
  client.close();
  if (input.joinable()) input.join();
  return result;
}

}  // namespace berth::api
