// Internal: the merged view of a stack of overlay-format layer directories (bottom..top), as
// overlayfs would present it, without mounting: a 0/0 char device hides a path, an opaque
// directory hides everything beneath it in lower layers, a non-directory hides a lower
// directory. Lookups walk each layer component by component without following symlinks.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::store {

bool is_overlay_whiteout(const struct stat& st);

class LowerView {
 public:
  // `lowers` bottom..top; `opaque_xattr` e.g. "trusted.overlay.opaque".
  static Result<LowerView> open(const std::vector<std::string>& lowers, std::string opaque_xattr);

  struct Found {
    struct stat st;
    size_t layer;  // index into lowers
  };
  // The visible entry at `rel` ("" = root), or nullopt.
  Result<std::optional<Found>> lookup(const std::string& rel) const;
  // The names visible inside directory `rel` (empty if it is not a visible directory).
  Result<std::set<std::string>> children(const std::string& rel) const;
  // An fd of the directory `rel` in the given layer, for reading xattrs and link targets.
  Result<UniqueFd> open_parent_in_layer(size_t layer, const std::string& rel) const;
  bool empty() const { return layers_.empty(); }

 private:
  enum class Probe { kAbsent, kHidden, kFound };
  struct ProbeResult {
    Probe probe = Probe::kAbsent;
    bool opaque = false;  // an ancestor (or, for directories, rel itself) is opaque here
    struct stat st {};
    UniqueFd dir;  // for kFound directories: the directory itself
  };
  Result<ProbeResult> probe(size_t layer, const std::string& rel, bool open_dir) const;
  Result<bool> is_opaque(int dir_fd, const std::string& name) const;

  std::vector<UniqueFd> layers_;
  std::string opaque_xattr_;
};

}  // namespace berth::store
