// POST /containers/{id}/update.
#include "api/api_context.h"
#include "api/api_errors.h"
#include "daemon/container_update.h"

namespace berth::api {

void register_update_routes(http::Router& router, ApiContext& ctx) {
  router.post("/containers/{id}/update", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = r.body().empty() ? Json::object() : TRY(parse_json(r.body(), "request body"));
      if (!body.is_object()) return Error(ErrorCode::kInvalidArgument, "request body must be an object");
      auto warnings = TRY(daemon::update_container(*ctx.containers, std::string(r.param("id")), body));
      return w.send_json(200, {{"Warnings", warnings}});
    });
  });
}

}  // namespace berth::api
