// tmpfs mount options as dockerd builds them: HostConfig.Tmpfs values ("rw,noexec,size=64m") and
// Mount.TmpfsOptions objects, merged over the defaults.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::cspec {

// moby/sys/mount's MergeTmpfsOptions: the last of each conflicting flag (ro/rw, exec/noexec,
// the propagation modes, ...) and of each data key (size, mode, uid, gid, nr_inodes, nr_blocks,
// mpol) wins, keeping the order of the survivors. An unknown option is an error: `invalid tmpfs
// option ["foo"]`.
Result<std::vector<std::string>> merge_tmpfs_options(const std::vector<std::string>& options);

// The spec mount options of a tmpfs: "noexec", "nosuid", "nodev", "rprivate", then `data`'s
// options, merged.
Result<std::vector<std::string>> tmpfs_mount_options(const std::string& data);

// dockerd's ConvertTmpfsOptions: Mount.TmpfsOptions {"SizeBytes", "Mode", "Options"} and
// Mount.ReadOnly to a data string ("ro,mode=1777,size=64m,noexec"). Options may only be exec or
// noexec: "invalid option: foo".
Result<std::string> convert_tmpfs_options(const Json& tmpfs_options, bool read_only);

}  // namespace berth::cspec
