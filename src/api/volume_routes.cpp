// The /volumes routes: list, create, inspect, remove, prune.
#include "api/api_context.h"
#include "daemon/volume_service.h"

namespace berth::api {

void register_volume_routes(http::Router& router, ApiContext& ctx) {
  router.get("/volumes", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      return w.send_json(200, TRY(ctx.volumes->list(std::string(r.query().value("filters")))));
    });
  });

  router.post("/volumes/create", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = r.body().empty() ? Json::object() : TRY(parse_json(r.body(), "request body"));
      return w.send_json(201, TRY(ctx.volumes->create(body)));
    });
  });

  router.post("/volumes/prune", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      return w.send_json(200, TRY(ctx.volumes->prune(std::string(r.query().value("filters")))));
    });
  });

  router.get("/volumes/{name}", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      return w.send_json(200, TRY(ctx.volumes->inspect(std::string(r.param("name")))));
    });
  });

  router.del("/volumes/{name}", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      TRY(ctx.volumes->remove(std::string(r.param("name")), r.query().get_bool("force")));
      return w.send_status(204);
    });
  });
}

}  // namespace berth::api
