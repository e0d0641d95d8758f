// GET /containers/{id}/changes and POST /commit.
#include "api/api_context.h"
#include "api/api_errors.h"
#include "daemon/container_changes.h"
#include "daemon/container_commit.h"

namespace berth::api {

void register_commit_routes(http::Router& router, ApiContext& ctx) {
  router.get("/containers/{id}/changes", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      std::string key;
      {
        std::lock_guard lock(entry->mutex);
        key = entry->c.snapshot_key;
      }
      auto& snapshots = ctx.images->snapshots();
      store::ActiveInfo active = TRY(snapshots.active(key));
      auto lowers = TRY(snapshots.layer_dirs(active.parent));
      auto changes = TRY(daemon::container_changes(active.upper, lowers));
      return w.send_json(200, daemon::changes_json(changes));
    });
  });

  router.post("/commit", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      daemon::CommitOptions options;
      options.container = std::string(r.query().value("container"));
      if (options.container.empty()) return Error(ErrorCode::kInvalidArgument, "No container name or ID supplied");
      options.repo = std::string(r.query().value("repo"));
      options.tag = std::string(r.query().value("tag"));
      options.comment = std::string(r.query().value("comment"));
      options.author = std::string(r.query().value("author"));
      options.pause = r.query().get_bool("pause", true);
      for (auto change : r.query().get_all("changes")) options.changes.emplace_back(change);
      if (!r.body().empty()) options.config = TRY(parse_json(r.body(), "request body"));
      store::Digest id = TRY(daemon::commit_container(*ctx.containers, options));
      return w.send_json(201, {{"Id", id.to_string()}});
    });
  });
}

}  // namespace berth::api
