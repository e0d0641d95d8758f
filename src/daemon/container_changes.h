// `docker diff`: what a container changed in its writable layer, read from the overlay upper
// directory as dockerd's overlay driver does: a whiteout (0/0 char device) is a deletion; an
// entry that exists below is a modification, except a directory whose mode, size and mtime
// are unchanged (only the parent of a change); anything else was added. An opaque directory
// also hides everything below it: what the lower layers had there is deleted.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::daemon {

enum class ChangeKind { kModified = 0, kAdded = 1, kDeleted = 2 };

struct FsChange {
  std::string path;  // absolute, as the container sees it
  ChangeKind kind;
};

// `lowers`: the image's layer directories, bottom..top.
Result<std::vector<FsChange>> container_changes(const std::string& upper,
                                                const std::vector<std::string>& lowers);

// [{"Path": ..., "Kind": 0|1|2}, ...]
Json changes_json(const std::vector<FsChange>& changes);

}  // namespace berth::daemon
