// POST /containers/{id}/attach and POST /containers/{id}/resize.
#include <future>

#include "api/api_context.h"
#include "api/api_errors.h"
#include "api/log_output.h"
#include "api/stream_relay.h"
#include "daemon/container_logs.h"
#include "daemon/detach_keys.h"

namespace berth::api {
namespace {

struct AttachTarget {
  daemon::Container snapshot;  // for events
  bool tty = false;
  bool open_stdin = false;
  bool stdin_once = false;
};

AttachTarget read_target(const daemon::ContainerRef& entry) {
  std::lock_guard lock(entry->mutex);
  AttachTarget t;
  t.snapshot = entry->c;
  t.tty = entry->c.config.value("Tty", false);
  t.open_stdin = entry->c.config.value("OpenStdin", false);
  t.stdin_once = entry->c.config.value("StdinOnce", false);
  return t;
}

Status replay_logs(ApiContext& ctx, const daemon::ContainerRef& entry, http::HijackedConnection& conn,
                   bool tty, bool want_stdout, bool want_stderr) {
  if (!want_stdout && !want_stderr) return {};
  logging::ReadOptions options;
  options.show_stdout = want_stdout;
  options.show_stderr = want_stderr;
  auto logs = daemon::ContainerLogs::open(*ctx.containers, entry, options);
  if (!logs.ok()) return {};  // no log to replay (driver "none")
  LogOutputOptions out;
  out.tty = tty;
  return copy_log_messages((*logs)->reader(), out,
                           [&](std::string_view data) { return conn.write(data); });
}

}  // namespace

void register_attach_routes(http::Router& router, ApiContext& ctx) {
  router.post("/containers/{id}/attach", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      bool stream = r.query().get_bool("stream");
      bool logs = r.query().get_bool("logs");
      bool want_stdin = r.query().get_bool("stdin");
      bool want_stdout = r.query().get_bool("stdout");
      bool want_stderr = r.query().get_bool("stderr");
      std::string keys = TRY(daemon::parse_detach_keys(r.query().value("detachKeys")));
      AttachTarget target = read_target(entry);
      if (!stream) {
        auto conn = TRY(w.hijack(stream_content_type(target.tty)));
        if (logs) TRY(replay_logs(ctx, entry, *conn, target.tty, want_stdout, want_stderr));
        return {};
      }

      auto promise = std::make_shared<std::promise<Result<daemon::ShimStream>>>();
      auto future = promise->get_future();
      daemon::PendingAttach pending;
      pending.stdin = want_stdin && target.open_stdin;
      pending.stdout = want_stdout;
      pending.stderr = want_stderr;
      pending.connected = [promise](Result<daemon::ShimStream> s) { promise->set_value(std::move(s)); };
      bool forward_stdin = pending.stdin;
      // Registered before the 101 goes out: `docker run` starts the container as soon as it
      // has the upgrade, and output of a container that started before we were registered
      // would be lost (and the client would wait for a start that already happened).
      TRY(ctx.containers->attach_before_start(entry, std::move(pending)));
      auto conn = TRY(w.hijack(stream_content_type(target.tty)));
      if (logs) TRY(replay_logs(ctx, entry, *conn, target.tty, want_stdout, want_stderr));
      ctx.containers->publish(target.snapshot, "attach");
      // `docker run` attaches before it starts the container: this waits for the start.
      auto shim = future.get();
      if (!shim.ok()) return {};
      RelayOptions options;
      options.tty = target.tty;
      options.forward_stdin = forward_stdin;
      options.stdout = want_stdout;
      options.stderr = want_stderr;
      options.close_stdin_on_eof = target.stdin_once && !target.tty;
      options.detach_keys = keys;
      RelayResult result = relay_stream(*conn, *shim, options, nullptr);
      if (result.end == RelayEnd::kDetached) ctx.containers->publish(target.snapshot, "detach");
      return {};
    });
  });

  router.post("/containers/{id}/resize", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      int64_t height = TRY(r.query().get_int("h", 0));
      int64_t width = TRY(r.query().get_int("w", 0));
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      std::string bundle;
      {
        std::lock_guard lock(entry->mutex);
        const auto& c = entry->c;
        if (c.state.status != daemon::ContainerStatus::kRunning &&
            c.state.status != daemon::ContainerStatus::kPaused) {
          return make_error(ErrorCode::kConflict, "Container {} is not running", c.id);
        }
        bundle = ctx.containers->bundle_dir(c.id);
      }
      TRY(daemon::shim_call(bundle, Json{{"op", "resize"}, {"h", height}, {"w", width}}));
      return w.send_status(200);
    });
  });
}

}  // namespace berth::api
