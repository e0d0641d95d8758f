#include "client/system.h"

#include "base/time_format.h"
#include "client/timestamp.h"
#include "http/query.h"

namespace berth::client {

Result<Json> system_info(Client& c) { return c.get_json("/info"); }

Result<Json> system_version(Client& c) { return c.get_json("/version"); }

Result<std::unique_ptr<http::ResponseStream>> system_events(Client& c, const EventsOptions& o) {
  http::QueryParams q;
  int64_t now = unix_nanos_now();
  if (!o.since.empty()) q.set("since", TRY(get_timestamp(o.since, now)));
  if (!o.until.empty()) q.set("until", TRY(get_timestamp(o.until, now)));
  if (!o.filters.empty()) q.set("filters", o.filters.to_json());
  return c.stream("GET", "/events", q);
}

Result<Json> system_disk_usage(Client& c, const std::vector<std::string>& types) {
  http::QueryParams q;
  for (const auto& t : types) q.add("type", t);
  return c.get_json("/system/df", q);
}

Result<Json> registry_login(Client& c, const AuthConfig& auth) {
  return c.post_json("/auth", {}, auth.to_json());
}

}  // namespace berth::client
