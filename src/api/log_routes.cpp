// GET /containers/{id}/logs.
#include "api/api_context.h"
#include "api/api_errors.h"
#include "api/log_output.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "daemon/container_logs.h"
#include "http/stdcopy.h"

namespace berth::api {
namespace {

// dockerd's timetypes.ParseTimestamps: Unix seconds with an optional fraction, or RFC 3339;
// 0 when empty.
Result<int64_t> parse_log_time(std::string_view text) {
  if (text.empty()) return int64_t{0};
  auto [secs, frac] = split_once(text, '.');
  if (auto s = parse_int64(secs); s.ok()) {
    std::string digits(frac.substr(0, 9));
    while (digits.size() < 9) digits.push_back('0');
    return *s * 1'000'000'000 + TRY(parse_int64(digits));
  }
  auto t = parse_rfc3339_ns(text);
  if (!t.ok()) return make_error(ErrorCode::kInvalidArgument, "invalid timestamp: \"{}\"", text);
  return t;
}

}  // namespace

void register_log_routes(http::Router& router, ApiContext& ctx) {
  router.get("/containers/{id}/logs", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      logging::ReadOptions options;
      options.show_stdout = r.query().get_bool("stdout");
      options.show_stderr = r.query().get_bool("stderr");
      if (!options.show_stdout && !options.show_stderr)
        return Error(ErrorCode::kInvalidArgument, "Bad parameters: you must choose at least one stream");
      options.follow = r.query().get_bool("follow");
      options.timestamps = r.query().get_bool("timestamps");
      options.details = r.query().get_bool("details");
      options.since_ns = TRY(parse_log_time(r.query().value("since")));
      options.until_ns = TRY(parse_log_time(r.query().value("until")));
      std::string tail(r.query().value("tail", "all"));
      if (tail.empty() || tail == "all") {
        options.tail = -1;
      } else {
        auto n = parse_int64(tail);
        options.tail = n.ok() && *n >= 0 ? *n : -1;
      }
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      auto logs = TRY(daemon::ContainerLogs::open(*ctx.containers, entry, options));
      LogOutputOptions out;
      out.tty = logs->tty();
      out.timestamps = options.timestamps;
      out.details = options.details;
      std::string type(out.tty ? "application/vnd.docker.raw-stream"
                               : "application/vnd.docker.multiplexed-stream");
      TRY(w.begin_stream(200, http::Headers({{"Content-Type", type}})));
      TRY(w.flush());
      // Shared with the callback, which may run after the handler has returned.
      auto reader = std::shared_ptr<daemon::ContainerLogs>(std::move(logs));
      w.on_client_gone([reader] { reader->reader().stop(); });
      auto st = copy_log_messages(reader->reader(), out, [&](std::string_view data) -> Status {
        TRY(w.write_chunk(data));
        if (options.follow) TRY(w.flush());
        return {};
      });
      if (!st.ok()) (void)w.write_chunk(http::stdcopy_encode(http::StdStream::kStderr, st.error().to_string()));
      return w.end_stream();
    });
  });
}

}  // namespace berth::api
