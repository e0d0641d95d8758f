#include "api/stream_relay.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "base/unique_fd.h"
#include "daemon/detach_keys.h"
#include "daemon/shim_frames.h"

namespace berth::api {

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

  std::thread input;
  if (options.forward_stdin) {
    input = std::thread([&] {
      daemon::DetachDetector detector(options.tty ? options.detach_keys : std::string());
      char buf[16384];
      while (true) {
        auto n = client.read(buf, sizeof buf);
        if (!n.ok()) {
          client_gone = true;
          signal_stop();
          return;
        }
        if (*n == 0) {
          if (options.close_stdin_on_eof) {
            (void)daemon::send_shim_frame(shim_fd, shim::FrameKind::kCloseStdin);
          } else {
            input_ended = true;
            signal_stop();
          }
          return;
        }
        std::string out;
        bool detach = detector.feed(std::string_view(buf, *n), out);
        if (!out.empty() && !daemon::send_shim_frame(shim_fd, shim::FrameKind::kStdin, out).ok()) {
          return;
        }
        if (detach) {
          detached = true;
          signal_stop();
          return;
        }
      }
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
  // The client reads what was written, then EOF; the input side unblocks.
  (void)client.close_write();
  client.close();
  if (input.joinable()) input.join();
  return result;
}

}  // namespace berth::api
