// Typed calls for the system routes: /info, /version, /events, /system/df, /auth.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "client/client.h"
#include "client/config_file.h"
#include "client/filters.h"
#include "http/client.h"

namespace berth::client {

Result<Json> system_info(Client& c);
Result<Json> system_version(Client& c);

struct EventsOptions {
  std::string since;
  std::string until;
  Filters filters;
};
// One JSON message a line until `until` (or forever).
Result<std::unique_ptr<http::ResponseStream>> system_events(Client& c, const EventsOptions& o);

// GET /system/df, optionally only some object types ("container", "image", "volume",
// "build-cache").
Result<Json> system_disk_usage(Client& c, const std::vector<std::string>& types = {});

// POST /auth: {"Status":"Login Succeeded","IdentityToken":...}.
Result<Json> registry_login(Client& c, const AuthConfig& auth);

}  // namespace berth::client
