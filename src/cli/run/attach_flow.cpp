#include "cli/run/attach_flow.h"

#include <csignal>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cli/run/hijack.h"
#include "cli/run/signals.h"
#include "cli/run/terminal.h"
#include "client/containers.h"

namespace berth::cli {

void set_output_sinks(Cli& cli, StreamOptions& so, bool attach_stdout, bool attach_stderr,
                      bool tty) {
  if (attach_stdout) so.out = [&cli](std::string_view d) { cli.out(d); };
  if (attach_stderr) {
    so.err = tty ? StreamOptions::Sink([&cli](std::string_view d) { cli.out(d); })
                 : StreamOptions::Sink([&cli](std::string_view d) { cli.err(d); });
  }
  so.terminal_fd = cli.out_fd();
}

void proxy_signals_to_container(client::Client& c, const std::string& id) {
  set_signal_proxy([&c, id](int signo) {
    const char* name = signal_name(signo);
    if (*name == '\0' || signo == SIGCHLD || signo == SIGPIPE || signo == SIGURG) return;
    (void)client::container_kill(c, id, name);
  });
}

Result<int> run_attach_flow(Cli& cli, client::Client& c, const AttachFlow& flow) {
  const std::string id = flow.id;
  // The wait goes out before anything else, as docker's attach and start do.
  auto wait_stream = TRY(client::container_wait(c, id, flow.wait_condition));
  struct WaitState {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Result<client::WaitResult>> result;
  };
  auto ws = std::make_shared<WaitState>();
  std::thread([stream = std::shared_ptr<http::ResponseStream>(std::move(wait_stream)), ws] {
    auto r = client::read_wait_result(*stream);
    std::lock_guard lock(ws->mu);
    ws->result.emplace(std::move(r));
    ws->cv.notify_all();
  }).detach();

  if (flow.sig_proxy) proxy_signals_to_container(c, id);
  struct ProxyReset {
    ~ProxyReset() {
      set_signal_proxy(nullptr);
      set_winch_handler(nullptr);
    }
  } reset;

  client::AttachOptions ao;
  ao.attach_stdin = flow.attach_stdin;
  ao.attach_stdout = flow.attach_stdout;
  ao.attach_stderr = flow.attach_stderr;
  ao.detach_keys = flow.detach_keys;
  auto conn = std::shared_ptr<http::HijackedConnection>(TRY(client::container_attach(c, id, ao)));
  StreamOptions so;
  so.in_fd = flow.attach_stdin ? cli.in_fd() : -1;
  set_output_sinks(cli, so, flow.attach_stdout, flow.attach_stderr, flow.tty);
  so.tty = flow.tty;
  so.detach_keys = flow.detach_keys;
  HijackStreamer streamer(conn, so);
  streamer.start();

  if (flow.start) {
    Status started = client::container_start(c, id);
    if (!started.ok()) {
      streamer.cancel();
      streamer.wait();
      return std::move(started).error();
    }
  }
  if (flow.tty && cli.out_is_terminal()) {
    auto resize = [&c, &cli, id](int extra) {
      TermSize size = terminal_size(cli.out_fd());
      if (size.height != 0 || size.width != 0) {
        (void)client::container_resize(c, id, static_cast<int>(size.height) + extra,
                                       static_cast<int>(size.width) + extra);
      }
    };
    if (flow.resize_plus_one) resize(1);
    resize(0);
    set_winch_handler([resize] { resize(0); });
  }
  StreamEnd end = streamer.wait();
  if (end == StreamEnd::kDetached) return 0;
  std::unique_lock lock(ws->mu);
  ws->cv.wait(lock, [&] { return ws->result.has_value(); });
  auto& r = *ws->result;
  if (!r.ok()) return r.error();
  if (!r->error.empty()) return Error(ErrorCode::kUnknown, r->error);
  return static_cast<int>(r->status_code);
}

}  // namespace berth::cli
