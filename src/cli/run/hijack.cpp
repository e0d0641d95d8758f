#include "cli/run/hijack.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/core/cli.h"
#include "cli/run/terminal.h"
#include "http/stdcopy.h"

namespace berth::cli {

Result<std::vector<unsigned char>> detach_key_bytes(const std::string& keys) {
  std::vector<unsigned char> out;
  for (const auto& raw : split(keys, ',')) {
    std::string key = to_lower(trim(raw));
    if (key.size() > 1 && key.starts_with("ctrl-")) {
      if (key.size() != 6) {
        return make_error(ErrorCode::kInvalidArgument, "Unknown character: '{}'", key);
      }
      char c = key[5];
      if (c >= 'a' && c <= 'z') {
        out.push_back(static_cast<unsigned char>(c - 'a' + 1));
      } else if (c == '@') {
        out.push_back(0);
      } else if (c == '[') {
        out.push_back(27);
      } else if (c == '\\') {
        out.push_back(28);
      } else if (c == ']') {
        out.push_back(29);
      } else if (c == '^') {
        out.push_back(30);
      } else if (c == '_') {
        out.push_back(31);
      } else {
        return make_error(ErrorCode::kInvalidArgument, "Unknown character: '{}'", c);
      }
    } else if (key.size() == 1) {
      out.push_back(static_cast<unsigned char>(key[0]));
    } else {
      return make_error(ErrorCode::kInvalidArgument, "Unknown character: '{}'", key);
    }
  }
  return out;
}

struct StreamState {
  std::mutex mu;
  std::condition_variable cv;
  bool output_done = false;
  bool input_done = false;
  bool detached = false;
  bool cancelled = false;
  // The sinks write into the caller's Cli, which may be gone once wait() has returned (the
  // output thread is detached): after `sinks_closed` no output is delivered any more.
  std::mutex sink_mu;
  bool sinks_closed = false;

  void deliver(const StreamOptions::Sink& to, std::string_view data) {
    std::lock_guard lock(sink_mu);
    if (to && !sinks_closed) to(data);
  }
  void close_sinks() {
    std::lock_guard lock(sink_mu);
    sinks_closed = true;
  }
};

namespace {
using Shared = StreamState;

// Reads stdin, watching for the escape sequence: matching bytes are held back until the sequence
// completes (detach) or breaks (they are sent after all), as moby/term's escapeProxy does.
void pump_input(http::HijackedConnection& conn, const StreamOptions& o,
                const std::vector<unsigned char>& escape, const std::shared_ptr<Shared>& shared) {
  char buf[32768];
  size_t matched = 0;
  bool detached = false;
  while (true) {
    ssize_t n = ::read(o.in_fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::string out;
    for (ssize_t i = 0; i < n; ++i) {
      unsigned char c = static_cast<unsigned char>(buf[i]);
      if (!escape.empty() && c == escape[matched]) {
        if (++matched == escape.size()) {
          detached = true;
          break;
        }
        continue;
      }
      if (matched > 0) {
        out.append(reinterpret_cast<const char*>(escape.data()), matched);
        matched = 0;
        if (!escape.empty() && c == escape[0]) {
          matched = 1;
          continue;
        }
      }
      out += static_cast<char>(c);
    }
    if (!out.empty() && !conn.write(out).ok()) break;
    if (detached) break;
  }
  if (!detached) (void)conn.close_write();
  std::lock_guard lock(shared->mu);
  (detached ? shared->detached : shared->input_done) = true;
  shared->cv.notify_all();
}

void pump_output(http::HijackedConnection& conn, const StreamOptions& o,
                 const std::shared_ptr<Shared>& shared) {
  http::StdcopyDecoder decoder;
  char buf[32768];
  auto sink = [&](http::StdStream stream, std::string_view data) -> Status {
    if (stream == http::StdStream::kSystemErr) {
      return Error(ErrorCode::kUnknown, std::string(data));
    }
    shared->deliver(stream == http::StdStream::kStderr ? o.err : o.out, data);
    return ok_status();
  };
  while (true) {
    auto n = conn.read(buf, sizeof(buf));
    if (!n.ok() || *n == 0) break;
    std::string_view data(buf, *n);
    if (o.tty) {
      shared->deliver(o.out, data);
    } else if (!decoder.feed(data, sink).ok()) {
      break;
    }
  }
  std::lock_guard lock(shared->mu);
  shared->output_done = true;
  shared->cv.notify_all();
}

}  // namespace

HijackStreamer::HijackStreamer(std::shared_ptr<http::HijackedConnection> conn,
                               StreamOptions options)
    : conn_(std::move(conn)), options_(std::move(options)), state_(std::make_shared<StreamState>()) {}

HijackStreamer::~HijackStreamer() { state_->close_sinks(); }

void HijackStreamer::start() {
  std::vector<unsigned char> escape;
  const StreamOptions& o = options_;
  if (o.in_fd >= 0 && o.tty) {
    raw_in_ = std::make_unique<RawTerminal>();
    raw_in_->make_raw(o.in_fd);
    if (o.terminal_fd >= 0) {
      raw_out_ = std::make_unique<RawTerminal>();
      raw_out_->make_raw(o.terminal_fd);
    }
    auto keys = detach_key_bytes(o.detach_keys.empty() ? "ctrl-p,ctrl-q" : o.detach_keys);
    escape = keys.ok() ? *keys : std::vector<unsigned char>{16, 17};
  }
  has_output_ = static_cast<bool>(o.out) || static_cast<bool>(o.err);
  auto conn = conn_;
  auto shared = state_;
  if (has_output_) {
    std::thread([conn, o, shared] { pump_output(*conn, o, shared); }).detach();
  }
  if (o.in_fd >= 0) {
    std::thread([conn, o, escape, shared] { pump_input(*conn, o, escape, shared); }).detach();
  } else {
    (void)conn->close_write();
    std::lock_guard lock(shared->mu);
    shared->input_done = true;
  }
}

StreamEnd HijackStreamer::wait() {
  StreamEnd end;
  {
    std::unique_lock lock(state_->mu);
    state_->cv.wait(lock, [&] {
      return state_->output_done || state_->detached || state_->cancelled ||
             (state_->input_done && !has_output_);
    });
    if (state_->detached) {
      end = StreamEnd::kDetached;
    } else if (state_->output_done) {
      end = StreamEnd::kOutputDone;
    } else if (state_->cancelled) {
      end = StreamEnd::kCancelled;
    } else {
      end = StreamEnd::kInputDone;
    }
  }
  // Output that arrives after a detach or cancel is dropped, as docker stops copying then.
  state_->close_sinks();
  if (raw_out_) raw_out_->restore();
  if (raw_in_) raw_in_->restore();
  return end;
}

void HijackStreamer::cancel() {
  std::lock_guard lock(state_->mu);
  state_->cancelled = true;
  state_->cv.notify_all();
}

StreamEnd stream_hijacked(std::shared_ptr<http::HijackedConnection> conn,
                          const StreamOptions& options) {
  HijackStreamer streamer(std::move(conn), options);
  streamer.start();
  return streamer.wait();
}

}  // namespace berth::cli
