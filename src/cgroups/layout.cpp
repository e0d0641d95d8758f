#include "cgroups/layout.h"

#include <algorithm>
#include <array>
#include <set>

#include "base/file_util.h"
#include "base/strings.h"
#include "sys/mountinfo.h"

namespace berth::cgroups {

namespace {

// v1 controllers Berth knows how to use or must at least join. "name=systemd" is the named
// hierarchy systemd tracks services with; runc joins it too, so `systemd-cgls` shows containers.
constexpr std::array<std::string_view, 15> kV1Controllers = {
    "cpuset",     "cpu",      "cpuacct", "blkio", "memory", "devices", "freezer",     "net_cls",
    "perf_event", "net_prio", "hugetlb", "pids",  "rdma",   "misc",    "name=systemd"};

bool is_v1_controller(std::string_view name) {
  return std::find(kV1Controllers.begin(), kV1Controllers.end(), name) != kV1Controllers.end();
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  for (auto& word : split(trim(text), ' ')) {
    if (!word.empty()) out.push_back(word);
  }
  return out;
}

struct CgroupMount {
  std::string fs_type;  // "cgroup" or "cgroup2"
  std::string mount_point;
  std::vector<std::string> super_options;
};

// Parses one mountinfo line; nullopt for anything that is not a cgroup mount.
std::optional<CgroupMount> parse_cgroup_mount(std::string_view line) {
  auto fields = split_words(line);
  auto dash = std::find(fields.begin(), fields.end(), "-");
  if (fields.size() < 5 || dash == fields.end() || fields.end() - dash < 4) return std::nullopt;
  const std::string& fs_type = *(dash + 1);
  if (fs_type != "cgroup" && fs_type != "cgroup2") return std::nullopt;
  return CgroupMount{fs_type, sys::unescape_mountinfo_field(fields[4]), split(*(dash + 3), ',')};
}

}  // namespace

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::kV1: return "v1";
    case Mode::kV2: return "v2";
    case Mode::kHybrid: return "hybrid";
  }
  return "unknown";
}

const std::string* Layout::v1_dir(std::string_view controller) const {
  auto it = v1.find(std::string(controller));
  return it == v1.end() ? nullptr : &it->second;
}

bool Layout::unified_has(std::string_view controller) const {
  return !unified.empty() && std::find(unified_controllers.begin(), unified_controllers.end(),
                                       controller) != unified_controllers.end();
}

std::vector<std::string> Layout::v1_mount_dirs() const {
  std::set<std::string> dirs;
  for (const auto& [controller, dir] : v1) dirs.insert(dir);
  return {dirs.begin(), dirs.end()};
}

Result<Layout> detect_layout_at(const std::string& mountinfo_text,
                                std::optional<std::string> unified_controllers) {
  Layout layout;
  for (const auto& line : split(mountinfo_text, '\n')) {
    auto mount = parse_cgroup_mount(line);
    if (!mount) continue;
    if (mount->fs_type == "cgroup2") {
      // The first cgroup2 mount wins; later ones are usually bind mounts of it.
      if (layout.unified.empty()) layout.unified = mount->mount_point;
      continue;
    }
    for (const auto& option : mount->super_options) {
      if (is_v1_controller(option)) layout.v1.emplace(option, mount->mount_point);
    }
  }
  if (layout.v1.empty() && layout.unified.empty())
    return Error(ErrorCode::kNotFound, "no cgroup filesystem is mounted");
  if (layout.v1.empty()) {
    layout.mode = Mode::kV2;
  } else {
    layout.mode = layout.unified.empty() ? Mode::kV1 : Mode::kHybrid;
  }
  if (!layout.unified.empty()) {
    if (!unified_controllers) {
      auto text = read_file(path_join(layout.unified, "cgroup.controllers"));
      unified_controllers = text.ok() ? *text : "";
    }
    layout.unified_controllers = split_words(*unified_controllers);
  }
  return layout;
}

Result<Layout> detect_layout() {
  auto text = TRY_CTX(read_file("/proc/self/mountinfo"), "detect cgroup layout");
  return detect_layout_at(text);
}

Layout make_v2_layout(std::string root, std::vector<std::string> controllers) {
  Layout layout;
  layout.mode = Mode::kV2;
  layout.unified = std::move(root);
  layout.unified_controllers = std::move(controllers);
  return layout;
}

Layout make_v1_layout(const std::string& root, const std::vector<std::string>& hierarchies) {
  Layout layout;
  layout.mode = Mode::kV1;
  for (const auto& hierarchy : hierarchies) {
    std::string dir = path_join(root, hierarchy);
    for (const auto& controller : split(hierarchy, ',')) layout.v1.emplace(controller, dir);
  }
  return layout;
}

Layout make_hybrid_layout(const std::string& root, const std::vector<std::string>& hierarchies,
                          std::vector<std::string> unified_controllers) {
  Layout layout = make_v1_layout(root, hierarchies);
  layout.mode = Mode::kHybrid;
  layout.unified = path_join(root, "unified");
  layout.unified_controllers = std::move(unified_controllers);
  return layout;
}

}  // namespace berth::cgroups
