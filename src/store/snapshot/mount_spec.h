// What a snapshot needs mounted. The snapshotter only describes mounts; the runtime mounts them.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace berth::store {

struct MountSpec {
  std::string type;    // "overlay" or "bind"
  std::string source;  // "overlay", or the directory to bind
  // Mount options, joined with "," to form the mount(2) data. For overlay: lowerdir=, upperdir=,
  // workdir= and flags such as index=off. Paths in them are relative to `working_dir` when it
  // is set.
  std::vector<std::string> options;
  // Non-empty when the options hold relative paths because absolute ones would exceed the
  // kernel's one-page limit on mount data: mount(2) must then be called with this as the
  // current directory (e.g. in a helper thread/process that chdir()s first).
  std::string working_dir;

  // The same layers as absolute paths, for mounters using the new mount API (fsconfig
  // "lowerdir+" per layer, Linux >= 6.8), which has no length limit. lowerdirs is top first.
  std::vector<std::string> lowerdirs;
  std::string upperdir;  // empty for read-only views
  std::string workdir;

  // The options joined with ",": mount(2)'s data argument.
  std::string data() const;
};

// Describes an overlay of `lowers` (top first), each given as {absolute path, short link path
// (absolute), short link path relative to `root`}. Picks the first form that fits `page_size`:
// absolute layer paths, then absolute short links, then relative short links with
// working_dir = root. kResourceExhausted when not even that fits.
struct LowerPaths {
  std::string absolute;
  std::string short_absolute;
  std::string short_relative;
};
Result<MountSpec> overlay_mount(const std::vector<LowerPaths>& lowers, const std::string& root,
                                const std::string& upper_abs, const std::string& upper_rel,
                                const std::string& work_abs, const std::string& work_rel,
                                const std::vector<std::string>& extra_options, size_t page_size);

}  // namespace berth::store
