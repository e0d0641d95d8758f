// POST /containers/prune, GET /system/df and POST /build/prune (no build cache yet: nothing to
// prune, but `docker system prune` calls it).
#include "api/api_context.h"
#include "api/api_errors.h"
#include "base/time_format.h"
#include "daemon/container_prune.h"
#include "daemon/container_views.h"
#include "daemon/volume_service.h"
#include "image/image_query.h"

namespace berth::api {
namespace {

Json container_usage(ApiContext& ctx) {
  auto& snapshots = ctx.images->snapshots();
  Json out = Json::array();
  for (const auto& entry : ctx.containers->store().list()) {
    daemon::Container c;
    {
      std::lock_guard lock(entry->mutex);
      c = entry->c;
    }
    daemon::ViewContext v;
    v.now_ns = unix_nanos_now();
    v.image_display = c.image_name;
    v.size_rw = static_cast<int64_t>(snapshots.active_size(c.snapshot_key).value_or(0));
    int64_t image_size = 0;
    if (auto id = store::Digest::parse(c.image_id); id.ok()) {
      if (auto image = ctx.images->get(*id); image.ok()) image_size = image->size;
    }
    v.size_root_fs = v.size_rw + image_size;
    out.push_back(daemon::summary_json(c, v));
  }
  return out;
}

}  // namespace

void register_prune_routes(http::Router& router, ApiContext& ctx) {
  router.post("/containers/prune", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto report = TRY(daemon::prune_containers(*ctx.containers, std::string(r.query().value("filters"))));
      Json deleted = report.deleted.empty() ? Json(nullptr) : Json(report.deleted);
      return w.send_json(200, {{"ContainersDeleted", deleted}, {"SpaceReclaimed", report.space_reclaimed}});
    });
  });

  router.get("/system/df", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      std::set<std::string> types;
      for (auto t : r.query().get_all("type")) {
        if (t != "container" && t != "image" && t != "volume" && t != "build-cache")
          return make_error(ErrorCode::kInvalidArgument, "unknown object type: {}", t);
        types.emplace(t);
      }
      auto want = [&](const char* t) { return types.empty() || types.count(t) > 0; };
      Json out = Json::object();
      if (want("image")) {
        image::ListOptions options;
        options.all = true;
        options.shared_size = true;
        options.container_count = [&ctx](const store::Digest& id) {
          int64_t n = 0;
          for (const auto& entry : ctx.containers->store().list()) {
            std::lock_guard lock(entry->mutex);
            if (entry->c.image_id == id.to_string()) ++n;
          }
          return n;
        };
        auto images = TRY(ctx.image_service->list(options));
        Json list = Json::array();
        for (const auto& s : images) list.push_back(Json::parse(image::summary_json(s).dump()));
        auto usage = TRY(ctx.images->snapshots().usage());
        out["LayersSize"] = usage.layers_size;
        out["Images"] = list;
      }
      if (want("container")) out["Containers"] = container_usage(ctx);
      if (want("volume")) {
        if (ctx.volumes) out["Volumes"] = ctx.volumes->disk_usage();
        else out["Volumes"] = ctx.volumes_disk_usage ? TRY(ctx.volumes_disk_usage()) : Json::array();
      }
      if (want("build-cache")) out["BuildCache"] = Json::array();
      return w.send_json(200, out);
    });
  });

  router.post("/build/prune", [](http::Request&, http::ResponseWriter& w) {
    (void)w.send_json(200, {{"CachesDeleted", nullptr}, {"SpaceReclaimed", 0}});
  });
}

}  // namespace berth::api
