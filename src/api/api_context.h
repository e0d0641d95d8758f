// What the route handlers reach: the daemon's services. Built by berthd's main.
#pragma once

#include <functional>
#include <string>

#include "daemon/container_service.h"
#include "daemon/daemon_config.h"
#include "daemon/events.h"
#include "http/router.h"
#include "image/image_service.h"

namespace berth::api {

struct ApiContext {
  const daemon::DaemonConfig* config = nullptr;
  daemon::ContainerService* containers = nullptr;
  daemon::EventBus* events = nullptr;
  image::ImageStore* images = nullptr;
  image::ImageService* image_service = nullptr;
  int64_t started_ns = 0;
  std::string daemon_id;
};

// Registers every route Berth serves.
void register_routes(http::Router& router, ApiContext& ctx);

// Route groups (one file each).
void register_system_routes(http::Router& router, ApiContext& ctx);
void register_container_routes(http::Router& router, ApiContext& ctx);
void register_image_routes(http::Router& router, ApiContext& ctx);

// Runs `fn` and sends its error, if any, in dockerd's form.
void respond(http::ResponseWriter& writer, const std::function<Status()>& fn);

}  // namespace berth::api
