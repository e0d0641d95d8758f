// POST /containers/{id}/exec, POST /exec/{id}/start, POST /exec/{id}/resize, GET /exec/{id}/json.
#include "api/api_context.h"
#include "api/api_errors.h"
#include "api/stream_relay.h"

namespace berth::api {
namespace {

Result<std::optional<std::array<uint32_t, 2>>> console_size(const Json& body) {
  if (!body.contains("ConsoleSize") || body["ConsoleSize"].is_null())
    return std::optional<std::array<uint32_t, 2>>();
  const Json& size = body["ConsoleSize"];
  if (!size.is_array() || size.size() != 2 || !size[0].is_number_unsigned() ||
      !size[1].is_number_unsigned()) {
    return Error(ErrorCode::kInvalidArgument, "invalid ConsoleSize: expected [height, width]");
  }
  return std::optional<std::array<uint32_t, 2>>(
      std::array<uint32_t, 2>{size[0].get<uint32_t>(), size[1].get<uint32_t>()});
}

}  // namespace

void register_exec_routes(http::Router& router, ApiContext& ctx) {
  router.post("/containers/{id}/exec", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = r.body().empty() ? Json::object() : TRY(parse_json(r.body(), "request body"));
      if (!body.is_object()) return Error(ErrorCode::kInvalidArgument, "request body must be an object");
      std::string id = TRY(ctx.execs->create(std::string(r.param("id")), body));
      return w.send_json(201, {{"Id", id}});
    });
  });

  router.post("/exec/{id}/start", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = r.body().empty() ? Json::object() : TRY(parse_json(r.body(), "request body"));
      if (!body.is_object()) body = Json::object();
      std::string id(r.param("id"));
      daemon::ExecConfig exec = TRY(ctx.execs->check_startable(id));
      daemon::ExecStartOptions options;
      options.console_size = TRY(console_size(body));
      if (body.value("Detach", false)) {
        auto started = TRY(ctx.execs->start(id, options));
        ctx.execs->finish_in_background(std::move(started), false);
        return w.send_status(200);
      }
      // The start request's Tty chooses the framing (as dockerd), the exec's when absent.
      bool tty = body.contains("Tty") && body["Tty"].is_boolean() ? body["Tty"].get<bool>() : exec.tty;
      auto conn = TRY(w.hijack(stream_content_type(tty)));
      auto started = ctx.execs->start(id, options);
      if (!started.ok()) {
        // Past the hijack the error can only go down the stream, as dockerd writes it.
        (void)write_output(*conn, tty, http::StdStream::kStdout, started.error().message() + "\r\n");
        (void)conn->close_write();
        return {};
      }
      RelayOptions relay;
      relay.tty = tty;
      relay.forward_stdin = exec.open_stdin;
      relay.stdout = exec.open_stdout;
      relay.stderr = exec.open_stderr;
      relay.close_stdin_on_eof = !exec.tty;
      relay.detach_keys = exec.detach_keys;
      RelayResult result = relay_stream(*conn, started->stream, relay,
                                        [&](int code) { ctx.execs->finish(id, code); });
      switch (result.end) {
        case RelayEnd::kExited: break;
        case RelayEnd::kStreamEnded: ctx.execs->finish(id, 137); break;
        case RelayEnd::kClientGone:
          // dockerd kills the process when its client goes away.
          ctx.execs->finish_in_background(std::move(*started), true);
          break;
        case RelayEnd::kDetached:
          ctx.execs->detached(id);
          ctx.execs->finish_in_background(std::move(*started), false);
          break;
        case RelayEnd::kInputEnded:
          ctx.execs->finish_in_background(std::move(*started), false);
          break;
      }
      return {};
    });
  });

  router.post("/exec/{id}/resize", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      int64_t height = TRY(r.query().get_int("h", 0));
      int64_t width = TRY(r.query().get_int("w", 0));
      TRY(ctx.execs->resize(std::string(r.param("id")), static_cast<int>(height), static_cast<int>(width)));
      return w.send_status(200);
    });
  });

  router.get("/exec/{id}/json", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json j = TRY(ctx.execs->inspect(std::string(r.param("id"))));
      return w.send_json(200, j);
    });
  });
}

}  // namespace berth::api
