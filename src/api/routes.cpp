#include "api/api_context.h"

#include "api/api_errors.h"
#include "base/log.h"

namespace berth::api {

void respond(http::ResponseWriter& writer, const std::function<Status()>& fn) {
  Status st = [&]() -> Status {
    try {
      return fn();
    } catch (const std::exception& e) {
      // Third-party exceptions (a JSON type surprise) must not take the daemon down.
      return make_error(ErrorCode::kInternal, "{}", e.what());
    }
  }();
  if (!st.ok()) send_error(writer, st.error());
}

void register_routes(http::Router& router, ApiContext& ctx) {
  router.use([](http::Request& request, http::ResponseWriter& writer, const http::RouteHandler& next) {
    writer.headers().set("Api-Version", "1.47");
    writer.headers().set("Docker-Experimental", "false");
    writer.headers().set("Ostype", "linux");
    writer.headers().set("Server", "Docker/27.5.1 (linux)");
    log::debug("{} {}", request.method(), request.target());
    next(request, writer);
  });
  register_system_routes(router, ctx);
  register_container_routes(router, ctx);
  register_image_routes(router, ctx);
  register_attach_routes(router, ctx);
  register_log_routes(router, ctx);
  register_exec_routes(router, ctx);
  register_stats_routes(router, ctx);
  register_update_routes(router, ctx);
  register_archive_routes(router, ctx);
  register_commit_routes(router, ctx);
  register_prune_routes(router, ctx);
  if (ctx.networks) register_network_routes(router, ctx);
  if (ctx.volumes) register_volume_routes(router, ctx);
}

}  // namespace berth::api
