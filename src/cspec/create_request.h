// The body of POST /containers/create: the Config fields at the top level, plus "HostConfig" and
// "NetworkingConfig" objects.
#pragma once

#include "base/json.h"
#include "base/result.h"

namespace berth::cspec {

struct CreateRequest {
  Json config = Json::object();             // Config (everything but the two members below)
  Json host_config = Json::object();        // HostConfig; {} when absent
  Json networking_config = Json::object();  // NetworkingConfig; {} when absent
};

// Splits a create body. Error: "config cannot be empty in order to create a container" when the
// body is not an object.
Result<CreateRequest> split_create_body(const Json& body);

}  // namespace berth::cspec
