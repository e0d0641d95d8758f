// The container lifecycle routes: create, list, inspect, start, stop, restart, kill, pause,
// unpause, wait, rename, remove.
#include "api/api_context.h"
#include "api/api_errors.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "daemon/container_views.h"

namespace berth::api {
namespace {

std::optional<int> optional_int(const http::Request& r, const char* key) {
  auto v = r.query().get(key);
  if (!v || v->empty()) return std::nullopt;
  auto n = parse_int(*v);
  if (!n.ok()) return std::nullopt;
  return *n;
}

daemon::ViewContext view_context(ApiContext& ctx, const daemon::Container& c, bool with_size) {
  daemon::ViewContext v;
  v.now_ns = unix_nanos_now();
  auto& snaps = ctx.images->snapshots();
  if (auto active = snaps.active(c.snapshot_key); active.ok()) {
    v.graph_upper_dir = active->upper;
    v.graph_work_dir = active->work;
    if (auto dirs = snaps.layer_dirs(active->parent); dirs.ok()) {
      std::string lower;
      for (auto it = dirs->rbegin(); it != dirs->rend(); ++it) {
        if (!lower.empty()) lower += ":";
        lower += *it;
      }
      v.graph_lower_dir = lower;
    }
    v.merged_dir = ctx.containers->bundle_dir(c.id) + "/rootfs";
    if (with_size) {
      if (auto size = snaps.active_size(c.snapshot_key); size.ok()) {
        v.size_rw = static_cast<int64_t>(*size);
        int64_t lower_size = 0;
        if (auto image = ctx.images->get(*store::Digest::parse(c.image_id)); image.ok())
          lower_size = image->size;
        v.size_root_fs = v.size_rw + lower_size;
      }
    }
  }
  // `docker ps` shows the name the container was created from, or the short image id once
  // that name points elsewhere.
  if (ctx.execs) v.exec_ids = ctx.execs->active_ids(c.id);
  v.image_display = c.image_name;
  if (auto now = ctx.images->resolve(c.image_name); !now.ok() || now->id.to_string() != c.image_id) {
    v.image_display = c.image_id.substr(7, 12);
  }
  return v;
}

}  // namespace

void register_container_routes(http::Router& router, ApiContext& ctx) {
  router.post("/containers/create", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = r.body().empty() ? Json::object() : TRY(parse_json(r.body(), "request body"));
      auto result = TRY(ctx.containers->create(body, std::string(r.query().value("name"))));
      Json warnings = Json::array();
      for (const auto& warning : result.warnings) warnings.push_back(warning);
      return w.send_json(201, {{"Id", result.id}, {"Warnings", warnings}});
    });
  });

  router.get("/containers/json", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      bool all = r.query().get_bool("all");
      bool size = r.query().get_bool("size");
      int64_t limit = TRY(r.query().get_int("limit", -1));
      auto filters = TRY(daemon::parse_container_filters(std::string(r.query().value("filters"))));
      // before/since: containers created before/after the named one.
      int64_t before_ns = INT64_MAX, since_ns = INT64_MIN;
      for (const auto& ref : filters.get("before")) {
        auto other = TRY(ctx.containers->store().lookup(ref));
        std::lock_guard lock(other->mutex);
        before_ns = std::min(before_ns, other->c.created_ns);
      }
      for (const auto& ref : filters.get("since")) {
        auto other = TRY(ctx.containers->store().lookup(ref));
        std::lock_guard lock(other->mutex);
        since_ns = std::max(since_ns, other->c.created_ns);
      }
      std::set<std::string> ancestors;
      for (const auto& ref : filters.get("ancestor")) {
        if (auto image = ctx.images->resolve(ref); image.ok()) ancestors.insert(image->id.to_string());
      }
      std::vector<std::pair<int64_t, Json>> rows;
      for (const auto& entry : ctx.containers->store().list()) {
        std::lock_guard lock(entry->mutex);
        const daemon::Container& c = entry->c;
        bool running = c.state.status == daemon::ContainerStatus::kRunning ||
                       c.state.status == daemon::ContainerStatus::kPaused ||
                       c.state.status == daemon::ContainerStatus::kRestarting;
        if (!all && !running && !filters.has("status") && limit <= 0) continue;
        if (!daemon::matches_filters(c, filters)) continue;
        if (c.created_ns >= before_ns || c.created_ns <= since_ns) continue;
        if (filters.has("ancestor") && !ancestors.count(c.image_id)) continue;
        rows.emplace_back(c.created_ns, daemon::summary_json(c, view_context(ctx, c, size)));
      }
      std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      Json out = Json::array();
      for (auto& [created, row] : rows) {
        if (limit > 0 && static_cast<int64_t>(out.size()) >= limit) break;
        out.push_back(std::move(row));
      }
      return w.send_json(200, out);
    });
  });

  router.get("/containers/{id}/json", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      std::lock_guard lock(entry->mutex);
      return w.send_json(200, daemon::inspect_json(entry->c, view_context(ctx, entry->c, r.query().get_bool("size"))));
    });
  });

  router.post("/containers/{id}/start", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      TRY(ctx.containers->start(std::string(r.param("id"))));
      return w.send_status(204);
    });
  });

  router.post("/containers/{id}/stop", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto timeout = optional_int(r, "t");
      if (!timeout) timeout = optional_int(r, "timeout");
      TRY(ctx.containers->stop(std::string(r.param("id")), timeout, std::string(r.query().value("signal"))));
      return w.send_status(204);
    });
  });

  router.post("/containers/{id}/restart", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto timeout = optional_int(r, "t");
      TRY(ctx.containers->restart(std::string(r.param("id")), timeout, std::string(r.query().value("signal"))));
      return w.send_status(204);
    });
  });

  router.post("/containers/{id}/kill", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      TRY(ctx.containers->kill(std::string(r.param("id")), std::string(r.query().value("signal"))));
      return w.send_status(204);
    });
  });

  router.post("/containers/{id}/pause", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      TRY(ctx.containers->pause(std::string(r.param("id"))));
      return w.send_status(204);
    });
  });

  router.post("/containers/{id}/unpause", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      TRY(ctx.containers->unpause(std::string(r.param("id"))));
      return w.send_status(204);
    });
  });

  router.post("/containers/{id}/rename", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      TRY(ctx.containers->rename(std::string(r.param("id")), std::string(r.query().value("name"))));
      return w.send_status(204);
    });
  });

  router.post("/containers/{id}/wait", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      std::string condition(r.query().value("condition", "not-running"));
      daemon::WaitCondition cond;
      if (condition == "not-running" || condition.empty()) cond = daemon::WaitCondition::kNotRunning;
      else if (condition == "next-exit") cond = daemon::WaitCondition::kNextExit;
      else if (condition == "removed") cond = daemon::WaitCondition::kRemoved;
      else return make_error(ErrorCode::kInvalidArgument, "invalid condition: \"{}\"", condition);
      std::string id(r.param("id"));
      TRY(ctx.containers->store().lookup(id));
      // dockerd sends the head at once (clients start the container after it) and the body
      // when the condition is met.
      TRY(w.begin_stream(200, http::Headers({{"Content-Type", "application/json"}})));
      TRY(w.flush());
      auto cancel = std::make_shared<daemon::WaitCancel>();
      w.on_client_gone([cancel, id, &ctx] {
        cancel->cancel();
        ctx.containers->wake_waiters(id);
      });
      auto result = ctx.containers->wait(id, cond, cancel.get());
      Json body;
      if (result.ok()) {
        body = {{"StatusCode", result->exit_code}};
        if (!result->error.empty()) body["Error"] = {{"Message", result->error}};
      } else {
        body = {{"StatusCode", -1}, {"Error", {{"Message", result.error().to_string()}}}};
      }
      (void)w.write_chunk(body.dump() + "\n");
      return w.end_stream();
    });
  });

  router.del("/containers/{id}", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      if (r.query().get_bool("link"))
        return Error(ErrorCode::kInvalidArgument, "legacy links are not supported");
      TRY(ctx.containers->remove(std::string(r.param("id")), r.query().get_bool("force"),
                                 r.query().get_bool("v")));
      return w.send_status(204);
    });
  });
}

}  // namespace berth::api
