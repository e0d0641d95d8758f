#include "cgroups/manager.h"

#include "base/file_util.h"
#include "cgroups/hybrid_manager.h"
#include "cgroups/v1/v1_manager.h"
#include "cgroups/v2/v2_manager.h"

namespace berth::cgroups {

Manager::~Manager() = default;

Result<std::unique_ptr<Manager>> make_manager(const Layout& layout, std::string path) {
  if (path.empty() || path.front() != '/' || path == "/" || clean_path(path) != path) {
    return make_error(ErrorCode::kInvalidArgument,
                      "cgroup path \"{}\": want a clean absolute path below the root (see "
                      "resolve_cgroup_path)",
                      path);
  }
  switch (layout.mode) {
    case Mode::kV1:
      if (layout.v1.empty())
        return Error(ErrorCode::kInvalidArgument, "v1 layout without hierarchies");
      return std::unique_ptr<Manager>(std::make_unique<V1Manager>(layout.v1, std::move(path)));
    case Mode::kV2:
      if (layout.unified.empty())
        return Error(ErrorCode::kInvalidArgument, "v2 layout without a mount");
      return std::unique_ptr<Manager>(std::make_unique<V2Manager>(layout.unified, std::move(path)));
    case Mode::kHybrid:
      if (layout.v1.empty() || layout.unified.empty())
        return Error(ErrorCode::kInvalidArgument, "hybrid layout needs v1 hierarchies and cgroup2");
      return std::unique_ptr<Manager>(std::make_unique<HybridManager>(layout, std::move(path)));
  }
  return Error(ErrorCode::kInvalidArgument, "unknown cgroup mode");
}

}  // namespace berth::cgroups
