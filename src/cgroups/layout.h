// Where the cgroup hierarchies are mounted, and which mode the host runs in.
//
// kV1: every controller is a v1 hierarchy (a directory may hold several: "cpu,cpuacct").
// kV2: one cgroup2 tree holds every controller.
// kHybrid: v1 hierarchies plus a cgroup2 mount (commonly /sys/fs/cgroup/unified) holding the
//   controllers no v1 hierarchy claimed — on this project's machines, hugetlb.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::cgroups {

enum class Mode { kV1, kV2, kHybrid };

std::string_view mode_name(Mode mode);

struct Layout {
  Mode mode = Mode::kV2;
  // v1 controller ("memory", "cpu", ..., and the named hierarchy "name=systemd") -> mount dir.
  std::map<std::string, std::string> v1;
  // The cgroup2 mount; empty when there is none (pure v1).
  std::string unified;
  // Controllers the cgroup2 root offers (its cgroup.controllers).
  std::vector<std::string> unified_controllers;

  // The mount dir of a v1 controller, or nullptr when it is not mounted.
  const std::string* v1_dir(std::string_view controller) const;
  bool has_v1(std::string_view controller) const { return v1_dir(controller) != nullptr; }
  bool unified_has(std::string_view controller) const;
  // Every distinct v1 mount dir, sorted (a combined "cpu,cpuacct" mount appears once).
  std::vector<std::string> v1_mount_dirs() const;
};

// Reads /proc/self/mountinfo and the cgroup2 root's cgroup.controllers.
Result<Layout> detect_layout();
// Parses a mountinfo text. The cgroup2 controllers come from `unified_controllers` when given
// (tests), otherwise from <cgroup2 mount>/cgroup.controllers (best effort: empty if unreadable).
Result<Layout> detect_layout_at(const std::string& mountinfo_text,
                                std::optional<std::string> unified_controllers = std::nullopt);

// Layouts over an injected root directory, for tests.
Layout make_v2_layout(std::string root, std::vector<std::string> controllers = {});
// Each entry is one hierarchy mounted at <root>/<entry>; "cpu,cpuacct" mounts both together.
Layout make_v1_layout(const std::string& root, const std::vector<std::string>& hierarchies);
// v1 hierarchies as make_v1_layout, plus cgroup2 at <root>/unified offering `unified_controllers`.
Layout make_hybrid_layout(const std::string& root, const std::vector<std::string>& hierarchies,
                          std::vector<std::string> unified_controllers);

}  // namespace berth::cgroups
