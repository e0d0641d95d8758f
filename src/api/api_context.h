// What the route handlers reach: the daemon's services. Built by berthd's main.
#pragma once

#include <functional>
#include <string>

#include "daemon/container_service.h"
#include "daemon/daemon_config.h"
#include "daemon/events.h"
#include "daemon/exec_service.h"
#include "http/router.h"
#include "image/image_service.h"

namespace berth::daemon {
class NetworkService;
class VolumeService;
}  // namespace berth::daemon

namespace berth::api {

struct ApiContext {
  const daemon::DaemonConfig* config = nullptr;
  daemon::ContainerService* containers = nullptr;
  daemon::EventBus* events = nullptr;
  image::ImageStore* images = nullptr;
  image::ImageService* image_service = nullptr;
  daemon::ExecService* execs = nullptr;
  // GET /system/df's Volumes (the volume service's usage); unset: an empty list.
  std::function<Result<Json>()> volumes_disk_usage;
  daemon::NetworkService* networks = nullptr;
  // Also what GET /system/df reports as Volumes: volumes->disk_usage().
  daemon::VolumeService* volumes = nullptr;
  int64_t started_ns = 0;
  std::string daemon_id;
};

// Registers every route Berth serves.
void register_routes(http::Router& router, ApiContext& ctx);

// Route groups (one file each).
void register_system_routes(http::Router& router, ApiContext& ctx);
void register_container_routes(http::Router& router, ApiContext& ctx);
void register_image_routes(http::Router& router, ApiContext& ctx);
// attach and resize; logs; exec; stats and top; update; archive (cp) and export; changes and
// commit; container prune, system df and build cache prune.
void register_attach_routes(http::Router& router, ApiContext& ctx);
void register_log_routes(http::Router& router, ApiContext& ctx);
void register_exec_routes(http::Router& router, ApiContext& ctx);
void register_stats_routes(http::Router& router, ApiContext& ctx);
void register_update_routes(http::Router& router, ApiContext& ctx);
void register_archive_routes(http::Router& router, ApiContext& ctx);
void register_commit_routes(http::Router& router, ApiContext& ctx);
void register_prune_routes(http::Router& router, ApiContext& ctx);
void register_network_routes(http::Router& router, ApiContext& ctx);
void register_volume_routes(http::Router& router, ApiContext& ctx);

// Runs `fn` and sends its error, if any, in dockerd's form.
void respond(http::ResponseWriter& writer, const std::function<Status()>& fn);

}  // namespace berth::api
