// The compose loader's ParseVolume, which docker uses to tell `-v` bind mounts from volumes.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::cli {

struct VolumeSpec {
  std::string type;  // "bind" or "volume"
  std::string source;
  std::string target;
  bool read_only = false;
};

Result<VolumeSpec> parse_volume_spec(std::string_view spec);

}  // namespace berth::cli
