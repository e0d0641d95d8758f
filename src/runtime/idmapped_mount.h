// Idmapped bind mounts (mounts[].uidMappings/gidMappings, options "idmap"/"ridmap"): the
// parent clones the source into a detached mount tree, marks it with a user namespace that
// carries the mappings (mount_setattr MOUNT_ATTR_IDMAP), and the container's init attaches the
// tree at its destination with move_mount.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "oci/runtime_spec.h"

namespace berth::runtime {

// A user namespace with these mappings, held by an fd (its helper process is gone).
Result<UniqueFd> make_user_namespace(const std::vector<oci::IdMapping>& uid_mappings,
                                     const std::vector<oci::IdMapping>& gid_mappings);

// open_tree(OPEN_TREE_CLONE) of `source` (with its submounts when `recursive_clone`), idmapped
// through `userns_fd` (every mount of the tree when `recursive_idmap`).
Result<UniqueFd> open_idmapped_tree(const std::string& source, bool recursive_clone,
                                    bool recursive_idmap, int userns_fd);

}  // namespace berth::runtime
