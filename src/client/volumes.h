// Typed calls for /volumes/*.
#pragma once

#include <string>

#include "base/json.h"
#include "base/result.h"
#include "client/client.h"
#include "client/filters.h"

namespace berth::client {

Result<Json> volume_list(Client& c, const Filters& filters);
Result<Json> volume_inspect(Client& c, const std::string& name);
Result<std::string> volume_inspect_raw(Client& c, const std::string& name);
// POST /volumes/create with {Name, Driver, DriverOpts, Labels}; returns the volume.
Result<Json> volume_create(Client& c, const Json& body);
Status volume_remove(Client& c, const std::string& name, bool force);
Result<Json> volume_prune(Client& c, const Filters& filters);

}  // namespace berth::client
