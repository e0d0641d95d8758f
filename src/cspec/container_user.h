// Resolving Config.User ("name", "uid", "name:group", "uid:gid") and HostConfig.GroupAdd against
// the container's own /etc/passwd and /etc/group, as dockerd does at start (moby/sys/user
// semantics and error messages).
//
// Both files are read through an fd of the rootfs with openat2(RESOLVE_IN_ROOT): a symlink in the
// image (/etc/passwd -> /host/etc/passwd, or -> ../../../etc/passwd) resolves inside the rootfs,
// never to the host's files. Only regular files are read, so a FIFO or device planted there
// cannot block or poke the engine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// The text of /etc/passwd and /etc/group; an empty string stands for a missing file.
struct AccountFiles {
  std::string passwd;
  std::string group;
  bool has_passwd = false;
  bool has_group = false;
};

// Reads both files inside `rootfs` (a directory path on the host). A missing file, a path that
// leads nowhere inside the root, or a non-regular file counts as missing.
Result<AccountFiles> read_account_files(const std::string& rootfs);

// uid/gid and additionalGids as dockerd computes them: additionalGids is the primary gid, then
// the user's groups from /etc/group (only when the spec names no group), then GroupAdd (names or
// numbers). Errors: "unable to find user foo: no matching entries in passwd file", "unable to
// find group bar: no matching entries in group file", "Unable to find group baz: no matching
// entries in group file" (GroupAdd), "uids and gids must be in range 0-2147483647".
Result<oci::User> resolve_user(std::string_view user_spec,
                               const std::vector<std::string>& group_add,
                               const AccountFiles& files);

}  // namespace berth::cspec
