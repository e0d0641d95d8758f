// A volume of the `local` driver: its metadata (the directory is
// <data-root>/volumes/<name>/_data). Persisted as JSON in the volumes table (volume_store.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/json.h"
#include "base/result.h"

namespace berth::daemon {

// Docker marks the volumes it creates for a container (image VOLUMEs, `-v /path`) with this
// label; `volume prune` removes only those unless asked for all.
inline constexpr const char* kAnonymousVolumeLabel = "com.docker.volume.anonymous";

struct Volume {
  std::string name;
  std::string driver = "local";
  int64_t created_ns = 0;
  std::map<std::string, std::string> labels;
  // The local driver's options: type, device, o (`mount -t type -o o device _data`).
  std::map<std::string, std::string> options;

  bool anonymous() const { return labels.contains(kAnonymousVolumeLabel); }
  // Volumes with a type or device are mounted while a container uses them.
  bool needs_mount() const { return options.contains("type") || options.contains("device"); }

  Json to_record() const;
  static Result<Volume> from_record(const Json& record);
};

// Docker's rule for local volume names ([a-zA-Z0-9][a-zA-Z0-9_.-]+) with its messages.
Status validate_volume_name(const std::string& name);
// The local driver's options: only type, device and o, type and device together.
Status validate_volume_options(const std::map<std::string, std::string>& options);

}  // namespace berth::daemon
