// What a create request asks to mount: HostConfig.Binds ("-v src:dst:mode") and HostConfig.Mounts
// ("--mount type=..."), parsed and checked as dockerd's linux parser does. The daemon turns each
// MountRequest into a MountPoint (creating volumes, resolving their paths) before start.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"

namespace berth::cspec {

struct MountRequest {
  std::string type;         // "bind", "volume" or "tmpfs"
  std::string source;       // bind: the host path (cleaned); volume: its name, "" for anonymous
  std::string destination;  // cleaned absolute path in the container
  bool read_only = false;
  // bind: the requested propagation, "rprivate" by default, "rslave" for a source related to the
  // data root. Empty for volumes and tmpfs.
  std::string propagation;
  std::string mode;                // the -v mode string as given ("ro,z"), for inspect's Mode
  bool from_binds = false;         // -v (missing host directories are created) or --mount
  bool create_mountpoint = false;  // BindOptions.CreateMountpoint (or -v)
  bool non_recursive = false;      // BindOptions.NonRecursive
  bool read_only_non_recursive = false;
  bool read_only_force_recursive = false;
  bool copy_data = true;  // volume: copy the image's content into an empty volume ("nocopy")
  std::string volume_driver;
  std::string volume_subpath;
  Json volume_options;     // Mount.VolumeOptions as given (labels, driver options)
  std::string tmpfs_data;  // tmpfs: ConvertTmpfsOptions' data string
};

// One -v string. `volume_driver` is HostConfig.VolumeDriver. Errors are dockerd's:
// "invalid volume specification: '<raw>'", "invalid mode: <mode>",
// "invalid volume specification: '<raw>': invalid mount config for type \"bind\": ...".
Result<MountRequest> parse_bind(std::string_view raw, std::string_view volume_driver,
                                const DaemonDefaults& daemon);

// One HostConfig.Mounts object; a bind's source must exist unless
// BindOptions.CreateMountpoint: `invalid mount config for type "bind": bind source path does not
// exist: /x`.
Result<MountRequest> parse_mount(const Json& mount, const DaemonDefaults& daemon);

// Binds, then Mounts, with dockerd's "Duplicate mount point: /x" when two (or a bind and a
// HostConfig.Tmpfs entry) share a destination.
Result<std::vector<MountRequest>> read_mount_requests(const Json& host_config,
                                                      const DaemonDefaults& daemon);

// The image's (merged Config.Volumes) destinations that need an anonymous volume at create:
// those no request and no HostConfig.Tmpfs entry covers, cleaned and sorted.
Result<std::vector<std::string>> anonymous_volume_targets(
    const Json& config, const Json& host_config, const std::vector<MountRequest>& requests);

// dockerd's check of a HostConfig.Tmpfs destination: absolute and not "/".
Status validate_tmpfs_destination(std::string_view destination);

}  // namespace berth::cspec
