#include "cspec/create_request.h"

#include "cspec/docker_json.h"

namespace berth::cspec {

Result<CreateRequest> split_create_body(const Json& body) {
  if (!body.is_object()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "config cannot be empty in order to create a container");
  }
  CreateRequest out;
  for (const auto& [key, value] : body.items()) {
    if (key == "HostConfig") {
      if (!value.is_null() && !value.is_object()) {
        return type_error(value, "CreateRequest", "HostConfig", "container.HostConfig");
      }
      if (value.is_object()) out.host_config = value;
    } else if (key == "NetworkingConfig") {
      if (!value.is_null() && !value.is_object()) {
        return type_error(value, "CreateRequest", "NetworkingConfig", "network.NetworkingConfig");
      }
      if (value.is_object()) out.networking_config = value;
    } else {
      out.config[key] = value;
    }
  }
  return out;
}

}  // namespace berth::cspec
