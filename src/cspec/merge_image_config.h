// dockerd's merge of an image's config into a container's Config at create time: the result is
// the Config that `docker inspect` shows and that start-time code reads.
#pragma once

#include <string>

#include "base/json.h"
#include "base/result.h"

namespace berth::cspec {

struct MergeOptions {
  std::string container_id;  // 64 hex digits; an empty Hostname becomes its first 12
  // With --network host an empty Hostname is the host's name instead.
  bool host_network = false;
  std::string host_hostname;
};

// `container_config` is the request's Config (the create body without HostConfig and
// NetworkingConfig); `image_config` is the image config's "config" object (null for none).
//  - User, WorkingDir, StopSignal: the container's unless empty.
//  - Env: image variables whose name the container does not set are appended.
//  - Labels, ExposedPorts, Volumes: unions, the container's label winning.
//  - Entrypoint/Cmd: with no (or an empty) Entrypoint in the request, an empty Cmd takes the
//    image's; an absent Entrypoint takes the image's. An Entrypoint of [""] then clears it, and
//    nothing left to run is "no command specified".
//  - Healthcheck: the container's fields override the image's one by one.
//  - OnBuild, Shell, ArgsEscaped and the other fields are the container's alone, as in dockerd.
// The result has every Config field, null or omitted exactly where dockerd's JSON has them.
Result<Json> merge_image_config(const Json& container_config, const Json& image_config,
                                const MergeOptions& options);
Result<Json> merge_image_config(const Json& container_config, const Json& image_config,
                                const std::string& container_id);

}  // namespace berth::cspec
