// Typed calls for /networks/*.
#pragma once

#include <string>

#include "base/json.h"
#include "base/result.h"
#include "client/client.h"
#include "client/filters.h"

namespace berth::client {

Result<Json> network_list(Client& c, const Filters& filters);
Result<Json> network_inspect(Client& c, const std::string& id, bool verbose = false,
                             const std::string& scope = {});
Result<std::string> network_inspect_raw(Client& c, const std::string& id);
// POST /networks/create with docker's NetworkCreateRequest; returns {"Id","Warning"}.
Result<Json> network_create(Client& c, const Json& body);
Status network_remove(Client& c, const std::string& id);
Status network_connect(Client& c, const std::string& network, const std::string& container,
                       const Json& endpoint_config);
Status network_disconnect(Client& c, const std::string& network, const std::string& container,
                          bool force);
Result<Json> network_prune(Client& c, const Filters& filters);

}  // namespace berth::client
