#include "client/networks.h"

#include "http/query.h"

namespace berth::client {
namespace {
std::string network_path(const std::string& id, std::string_view suffix = {}) {
  return "/networks/" + http::path_escape(id) + std::string(suffix);
}
}  // namespace

Result<Json> network_list(Client& c, const Filters& filters) {
  http::QueryParams q;
  if (!filters.empty()) q.set("filters", filters.to_json());
  return c.get_json("/networks", q);
}

Result<Json> network_inspect(Client& c, const std::string& id, bool verbose,
                             const std::string& scope) {
  http::QueryParams q;
  if (verbose) q.set("verbose", "true");
  if (!scope.empty()) q.set("scope", scope);
  return c.get_json(network_path(id), q);
}

Result<std::string> network_inspect_raw(Client& c, const std::string& id) {
  http::Response r = TRY(c.call("GET", network_path(id)));
  return r.body;
}

Result<Json> network_create(Client& c, const Json& body) {
  return c.post_json("/networks/create", {}, body);
}

Status network_remove(Client& c, const std::string& id) {
  TRY(c.call("DELETE", network_path(id)));
  return ok_status();
}

Status network_connect(Client& c, const std::string& network, const std::string& container,
                       const Json& endpoint_config) {
  Json body = {{"Container", container}, {"EndpointConfig", endpoint_config}};
  TRY(c.post_json(network_path(network, "/connect"), {}, body));
  return ok_status();
}

Status network_disconnect(Client& c, const std::string& network, const std::string& container,
                          bool force) {
  Json body = {{"Container", container}, {"Force", force}};
  TRY(c.post_json(network_path(network, "/disconnect"), {}, body));
  return ok_status();
}

Result<Json> network_prune(Client& c, const Filters& filters) {
  http::QueryParams q;
  if (!filters.empty()) q.set("filters", filters.to_json());
  return c.post_json("/networks/prune", q);
}

}  // namespace berth::client
