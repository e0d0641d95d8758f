#include "cspec/devices.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "base/file_util.h"
#include "base/strings.h"
#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

// A device node's entry, or nullopt for anything else (containerd's DeviceFromPath).
std::optional<oci::Device> device_at(const std::string& path, int* err) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    *err = errno;
    return std::nullopt;
  }
  *err = 0;
  oci::Device device;
  switch (st.st_mode & S_IFMT) {
    case S_IFBLK: device.type = "b"; break;
    case S_IFCHR: device.type = "c"; break;
    case S_IFIFO: device.type = "p"; break;
    default: return std::nullopt;
  }
  device.path = path;
  device.major = static_cast<int64_t>(major(st.st_rdev));
  device.minor = static_cast<int64_t>(minor(st.st_rdev));
  device.file_mode = static_cast<uint32_t>(st.st_mode & 07777);
  device.uid = st.st_uid;
  device.gid = st.st_gid;
  return device;
}

Result<std::vector<std::string>> sorted_entries(const std::string& dir) {
  std::unique_ptr<DIR, DirCloser> handle(::opendir(dir.c_str()));
  if (!handle) return errno_error(fmt::format("open {}", dir));
  std::vector<std::string> names;
  while (dirent* entry = ::readdir(handle.get())) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_real_directory(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Every device node under `dir`, depth first in name order (filepath.WalkDir does not follow
// symlinks to directories).
void walk_devices(const std::string& dir, std::vector<oci::Device>* out) {
  auto names = sorted_entries(dir);
  if (!names.ok()) return;
  for (const auto& name : *names) {
    std::string path = path_join(dir, name);
    if (is_real_directory(path)) {
      walk_devices(path, out);
      continue;
    }
    int err = 0;
    if (auto device = device_at(path, &err)) out->push_back(std::move(*device));
  }
}

oci::DeviceCgroupRule allow_rule(const oci::Device& device, const std::string& permissions) {
  oci::DeviceCgroupRule rule;
  rule.allow = true;
  rule.type = device.type;
  rule.major = device.major;
  rule.minor = device.minor;
  rule.access = permissions;
  return rule;
}

// A symlink is followed to what it names, as filepath.EvalSymlinks does.
std::string resolve_symlink(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) return path;
  return resolved;
}

}  // namespace

Result<std::vector<DeviceMapping>> read_device_mappings(const Json& host_config) {
  std::vector<DeviceMapping> out;
  const Json* list = field(host_config, "Devices");
  if (list == nullptr) return out;
  if (!list->is_array()) {
    return type_error(*list, "HostConfig", "Devices", "[]container.DeviceMapping");
  }
  constexpr std::string_view kWhere = "DeviceMapping";
  for (const Json& item : *list) {
    if (!item.is_object()) return type_error(item, "HostConfig", "Devices", "DeviceMapping");
    DeviceMapping mapping;
    mapping.path_on_host = TRY(get_string(item, "PathOnHost", kWhere));
    mapping.path_in_container = TRY(get_string(item, "PathInContainer", kWhere));
    mapping.cgroup_permissions = TRY(get_string(item, "CgroupPermissions", kWhere));
    if (mapping.path_in_container.empty()) mapping.path_in_container = mapping.path_on_host;
    if (mapping.cgroup_permissions.empty()) mapping.cgroup_permissions = "rwm";
    out.push_back(std::move(mapping));
  }
  return out;
}

Status validate_device_mapping(const DeviceMapping& mapping) {
  if (mapping.path_on_host.empty() || mapping.path_on_host.front() != '/') {
    return make_error(ErrorCode::kInvalidArgument, "{} is not an absolute path",
                      mapping.path_on_host);
  }
  if (mapping.path_in_container.front() != '/') {
    return make_error(ErrorCode::kInvalidArgument, "{} is not an absolute path",
                      mapping.path_in_container);
  }
  const std::string& mode = mapping.cgroup_permissions;
  bool valid =
      !mode.empty() && mode.size() <= 3 && mode.find_first_not_of("rwm") == std::string::npos;
  for (char c : std::string_view("rwm")) {
    if (std::count(mode.begin(), mode.end(), c) > 1) valid = false;
  }
  if (!valid) return make_error(ErrorCode::kInvalidArgument, "bad mode specified: {}", mode);
  return {};
}

Result<DeviceSet> devices_from_path(const std::string& path_on_host,
                                    const std::string& path_in_container,
                                    const std::string& permissions) {
  std::string resolved = resolve_symlink(path_on_host);
  DeviceSet out;
  int err = 0;
  if (auto device = device_at(resolved, &err)) {
    device->path = path_in_container;
    if (device->type != "p") out.rules.push_back(allow_rule(*device, permissions));
    out.devices.push_back(std::move(*device));
    return out;
  }
  if (err == 0 && is_directory(resolved)) {
    std::vector<oci::Device> found;
    walk_devices(resolved, &found);
    for (oci::Device& device : found) {
      device.path = path_in_container + device.path.substr(resolved.size());
      if (device.type != "p") out.rules.push_back(allow_rule(device, permissions));
      out.devices.push_back(std::move(device));
    }
    if (!out.devices.empty()) return out;
  }
  std::string why = err != 0 ? std::strerror(err) : "not a device node";
  return make_error(ErrorCode::kInvalidArgument,
                    "error gathering device information while adding custom device {:?}: {}",
                    path_on_host, why);
}

Result<std::vector<oci::Device>> host_devices(const std::string& dev_dir) {
  std::vector<oci::Device> out;
  auto names = TRY(sorted_entries(dev_dir));
  for (const auto& name : names) {
    std::string path = path_join(dev_dir, name);
    if (is_real_directory(path)) {
      if (name == "pts" || name == "shm" || name == "fd" || name == "mqueue" || name == ".lxc" ||
          name == ".lxd-mounts" || name == ".udev") {
        continue;
      }
      // A directory the engine may not read holds nothing it could give the container.
      auto sub = host_devices(path);
      if (!sub.ok() && sub.error().sys_errno() == EACCES) continue;
      if (!sub.ok()) return sub.error();
      out.insert(out.end(), sub->begin(), sub->end());
      continue;
    }
    if (name == "console") continue;
    int err = 0;
    auto device = device_at(path, &err);
    if (!device || device->type == "p") continue;
    out.push_back(std::move(*device));
  }
  return out;
}

Result<oci::DeviceCgroupRule> parse_device_cgroup_rule(std::string_view rule) {
  auto bad = [rule] {
    return make_error(ErrorCode::kInvalidArgument, "invalid device cgroup rule format: '{}'", rule);
  };
  auto parts = split(rule, ' ');
  if (parts.size() != 3) return bad();
  const std::string& type = parts[0];
  if (type != "a" && type != "c" && type != "b") return bad();
  bool found = false;
  auto [major_text, minor_text] = split_once(parts[1], ':', &found);
  if (!found) return bad();
  auto number = [](std::string_view text) -> std::optional<std::optional<int64_t>> {
    if (text == "*") return std::optional<int64_t>();
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    auto value = parse_int64(text);
    if (!value.ok()) return std::nullopt;
    return std::optional<int64_t>(*value);
  };
  auto major_value = number(major_text);
  auto minor_value = number(minor_text);
  if (!major_value || !minor_value) return bad();
  const std::string& access = parts[2];
  if (access.empty() || access.size() > 3 || access.find_first_not_of("rwm") != std::string::npos) {
    return bad();
  }
  oci::DeviceCgroupRule out;
  out.allow = true;
  out.type = type;
  out.major = *major_value;
  out.minor = *minor_value;
  out.access = access;
  return out;
}

std::vector<oci::DeviceCgroupRule> docker_default_device_rules() {
  auto rule = [](bool allow, const char* type, std::optional<int64_t> major_number,
                 std::optional<int64_t> minor_number) {
    oci::DeviceCgroupRule r;
    r.allow = allow;
    r.type = type;
    r.major = major_number;
    r.minor = minor_number;
    r.access = "rwm";
    return r;
  };
  return {
      rule(false, "", std::nullopt, std::nullopt),  // deny everything first
      rule(true, "c", 1, 5),                        // /dev/zero
      rule(true, "c", 1, 3),                        // /dev/null
      rule(true, "c", 1, 9),                        // /dev/urandom
      rule(true, "c", 1, 8),                        // /dev/random
      rule(true, "c", 5, 0),                        // /dev/tty
      rule(true, "c", 5, 1),                        // /dev/console
      rule(false, "c", 10, 229),                    // /dev/fuse, unless --device adds it
  };
}

}  // namespace berth::cspec
