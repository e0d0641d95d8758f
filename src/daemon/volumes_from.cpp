// --volumes-from: a new container gets the bind and volume mounts of others, read-only or
// read-write as each had them unless the reference says ":ro" or ":rw".
#include <set>

#include "base/strings.h"
#include "daemon/volumes_from.h"

namespace berth::daemon {

Status add_mounts_from_containers(ContainerStore& containers, VolumeHooks* volumes, Container& c) {
  std::set<std::string> destinations;
  for (const auto& m : c.mounts) destinations.insert(m.destination);
  if (!c.host_config.contains("VolumesFrom") || !c.host_config["VolumesFrom"].is_array())
    return ok_status();
  for (const auto& item : c.host_config["VolumesFrom"]) {
    if (!item.is_string()) continue;
    std::string spec = item.get<std::string>();
    auto [ref, mode] = split_once(spec, ':');
    if (!mode.empty() && mode != "ro" && mode != "rw") {
      return make_error(ErrorCode::kInvalidArgument, "invalid mode: {}", mode);
    }
    std::vector<MountPoint> theirs;
    {
      ContainerRef other = TRY(containers.lookup(ref));
      std::lock_guard lock(other->mutex);
      theirs = other->c.mounts;
    }
    for (MountPoint m : theirs) {
      if (m.type == "tmpfs" || destinations.contains(m.destination)) continue;
      if (mode == "ro") m.rw = false;
      if (mode == "rw") m.rw = true;
      if (m.type == "volume") {
        if (volumes == nullptr) continue;
        cspec::MountRequest request;
        request.type = "volume";
        request.source = m.name;
        request.destination = m.destination;
        request.read_only = !m.rw;
        request.mode = m.mode;
        request.copy_data = false;  // the volume has its content already
        MountPoint acquired = TRY(volumes->acquire(request, c));
        acquired.source = m.source;  // a subpath stays the subpath
        m = acquired;
      }
      destinations.insert(m.destination);
      // Into c.mounts at once: a later failure releases what was acquired with the rest.
      c.mounts.push_back(std::move(m));
    }
  }
  return ok_status();
}

}  // namespace berth::daemon
