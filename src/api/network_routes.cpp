// The /networks routes: list, inspect, create, remove, connect, disconnect, prune.
#include "api/api_context.h"
#include "daemon/network_service.h"

namespace berth::api {
namespace {

Result<Json> body_json(const http::Request& r) {
  if (r.body().empty()) return Json::object();
  return parse_json(r.body(), "request body");
}

}  // namespace

void register_network_routes(http::Router& router, ApiContext& ctx) {
  router.get("/networks", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      return w.send_json(200, TRY(ctx.networks->list(std::string(r.query().value("filters")))));
    });
  });

  router.post("/networks/create", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = TRY(body_json(r));
      return w.send_json(201, TRY(ctx.networks->create(body)));
    });
  });

  router.post("/networks/prune", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      return w.send_json(200, TRY(ctx.networks->prune(std::string(r.query().value("filters")))));
    });
  });

  router.get("/networks/{id}", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      return w.send_json(200, TRY(ctx.networks->inspect(std::string(r.param("id")))));
    });
  });

  router.del("/networks/{id}", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      TRY(ctx.networks->remove(std::string(r.param("id"))));
      return w.send_status(204);
    });
  });

  router.post("/networks/{id}/connect", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = TRY(body_json(r));
      TRY(ctx.networks->connect(std::string(r.param("id")), body));
      return w.send_status(200);
    });
  });

  router.post("/networks/{id}/disconnect", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = TRY(body_json(r));
      TRY(ctx.networks->disconnect(std::string(r.param("id")), body));
      return w.send_status(200);
    });
  });
}

}  // namespace berth::api
