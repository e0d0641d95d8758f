#include "client/volumes.h"

#include "http/query.h"

namespace berth::client {

Result<Json> volume_list(Client& c, const Filters& filters) {
  http::QueryParams q;
  if (!filters.empty()) q.set("filters", filters.to_json());
  return c.get_json("/volumes", q);
}

Result<Json> volume_inspect(Client& c, const std::string& name) {
  return c.get_json("/volumes/" + http::path_escape(name));
}

Result<std::string> volume_inspect_raw(Client& c, const std::string& name) {
  http::Response r = TRY(c.call("GET", "/volumes/" + http::path_escape(name)));
  return r.body;
}

Result<Json> volume_create(Client& c, const Json& body) {
  return c.post_json("/volumes/create", {}, body);
}

Status volume_remove(Client& c, const std::string& name, bool force) {
  http::QueryParams q;
  if (force) q.set("force", "1");
  TRY(c.call("DELETE", "/volumes/" + http::path_escape(name), q));
  return ok_status();
}

Result<Json> volume_prune(Client& c, const Filters& filters) {
  http::QueryParams q;
  if (!filters.empty()) q.set("filters", filters.to_json());
  return c.post_json("/volumes/prune", q);
}

}  // namespace berth::client
