// --volumes-from: a container created with the mounts of others.
#pragma once

#include "base/result.h"
#include "daemon/container_service.h"

namespace berth::daemon {

// Appends to c.mounts the bind and volume mounts of the containers HostConfig.VolumesFrom names
// ("id[:ro|rw]"), their volumes acquired for `c`; destinations c has already are skipped.
Status add_mounts_from_containers(ContainerStore& containers, VolumeHooks* volumes, Container& c);

}  // namespace berth::daemon
