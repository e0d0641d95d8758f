// Translating config.json mount options ("ro", "nosuid", "rbind", "rprivate", "size=64m", ...)
// into mount(2) flags, propagation flags, mount_setattr attributes and the data string.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace berth::sys {

struct MountOptions {
  unsigned long flags = 0;        // MS_* for mount(2), including MS_BIND / MS_REC for binds
  unsigned long propagation = 0;  // MS_SHARED / MS_SLAVE / MS_PRIVATE / MS_UNBINDABLE (+ MS_REC)
  // Recursive attributes ("rro", "rnosuid", ...) applied with mount_setattr(AT_RECURSIVE).
  uint64_t recursive_attr_set = 0;
  uint64_t recursive_attr_clr = 0;
  std::string data;        // everything the kernel's filesystem parses: "mode=755,size=65536k"
  bool bind = false;       // "bind" or "rbind"
  bool tmpcopyup = false;  // runc extension: copy the underlying directory into a new tmpfs
  bool idmap = false;      // "idmap" / "ridmap": an idmapped mount (needs mount mappings)
};

// Unknown options that look like flags ("foo") are passed to the filesystem in `data`, as runc
// does; options it cannot represent are errors naming the option.
Result<MountOptions> parse_mount_options(const std::vector<std::string>& options);

// The MS_* flags that a bind mount must be remounted with to apply them (ro, nosuid, ...).
unsigned long bind_remount_flags(const MountOptions& options);

// Propagation option names for rootfsPropagation ("rslave" -> MS_SLAVE|MS_REC); 0 when unknown.
unsigned long propagation_from_name(const std::string& name);

}  // namespace berth::sys
