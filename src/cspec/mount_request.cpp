#include "cspec/mount_request.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "base/file_util.h"
#include "base/strings.h"
#include "cspec/docker_json.h"
#include "cspec/tmpfs_options.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kPropagations[] = {"private", "rprivate", "slave",
                                              "rslave",  "shared",   "rshared"};

bool is_propagation(std::string_view mode) {
  return std::find(std::begin(kPropagations), std::end(kPropagations), mode) !=
         std::end(kPropagations);
}

// The -v mode string: at most one of each kind of option.
bool valid_mount_mode(std::string_view mode) {
  if (mode.empty()) return true;
  int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
  for (const std::string& option : split(mode, ',')) {
    if (option == "rw" || option == "ro") {
      ++rw;
    } else if (option == "z" || option == "Z") {
      ++label;
    } else if (is_propagation(option)) {
      ++propagation;
    } else if (option == "nocopy") {
      ++copy;
    } else if (option == "consistent" || option == "cached" || option == "delegated") {
      ++consistency;
    } else {
      return false;
    }
  }
  return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
}

bool has_option(std::string_view mode, std::string_view wanted) {
  for (const std::string& option : split(mode, ',')) {
    if (option == wanted) return true;
  }
  return false;
}

std::string propagation_of_mode(std::string_view mode) {
  for (const std::string& option : split(mode, ',')) {
    if (is_propagation(option)) return option;
  }
  return {};
}

Error config_error(std::string_view type, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument, "invalid mount config for type {:?}: {}", type,
                    why);
}

Status check_destination(std::string_view target) {
  if (clean_path(target) == "/") {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid specification: destination can't be '/'");
  }
  if (target.empty() || target.front() != '/') {
    return make_error(ErrorCode::kInvalidArgument,
                      "invalid mount path: '{}' mount path must be absolute", target);
  }
  return {};
}

// filepath.IsLocal: relative, non-empty, not climbing out.
bool is_local_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::string cleaned = clean_path(path);
  return cleaned != ".." && !cleaned.starts_with("../");
}

// A bind whose source is inside the data root (or holds it) follows the engine's later mounts
// there: rslave by default; only rslave or rshared may be asked for.
Status apply_data_root_rule(MountRequest& request, bool propagation_given,
                            const DaemonDefaults& daemon) {
  if (request.type != "bind" || daemon.data_root.empty()) return {};
  if (!request.source.starts_with(daemon.data_root) &&
      !daemon.data_root.starts_with(request.source)) {
    return {};
  }
  if (!propagation_given) {
    request.propagation = "rslave";
    return {};
  }
  if (request.propagation == "rslave" || request.propagation == "rshared") return {};
  return make_error(ErrorCode::kInvalidArgument,
                    "invalid mount config: must use either propagation mode \"rslave\" or "
                    "\"rshared\" when mount source is within the daemon root, daemon root: {:?}, "
                    "bind mount source: {:?}, propagation: {:?}",
                    daemon.data_root, request.source, request.propagation);
}

// The checks dockerd's validateMountConfigImpl shares between -v and --mount.
Status validate_request(const Json& mount, const MountRequest& request, bool check_source) {
  const std::string& type = request.type;
  auto wrap = [&type](const Error& e) { return config_error(type, e.message()); };
  std::string target = TRY(get_string(mount, "Target", "Mount"));
  if (target.empty()) return config_error(type, "field Target must not be empty");
  if (auto st = check_destination(target); !st.ok()) return wrap(st.error());
  const Json* bind_options = field(mount, "BindOptions");
  const Json* volume_options = field(mount, "VolumeOptions");
  if (type == "bind") {
    if (request.source.empty()) return config_error(type, "field Source must not be empty");
    if (!request.propagation.empty() && !is_propagation(request.propagation)) {
      return config_error(type, fmt::format("invalid propagation mode: {}", request.propagation));
    }
    if (volume_options != nullptr) {
      return config_error(type, "field VolumeOptions must not be specified");
    }
    std::string source = TRY(get_string(mount, "Source", "Mount"));
    if (source.front() != '/') {
      return config_error(
          type, fmt::format("invalid mount path: '{}' mount path must be absolute", source));
    }
    if (check_source) {
      struct stat st {};
      if (::stat(source.c_str(), &st) != 0) {
        if (errno != ENOENT) {
          return config_error(type, fmt::format("stat {}: {}", source, std::strerror(errno)));
        }
        if (!request.create_mountpoint) {
          return config_error(type, fmt::format("bind source path does not exist: {}", source));
        }
      }
    }
  } else if (type == "volume") {
    if (bind_options != nullptr)
      return config_error(type, "field BindOptions must not be specified");
    bool anonymous = request.source.empty();
    if (!request.volume_subpath.empty()) {
      if (anonymous) return config_error(type, "must not set Subpath when using anonymous volumes");
      if (!is_local_path(request.volume_subpath)) {
        return config_error(type, "subpath must be a relative path within the volume");
      }
    }
    if (request.read_only && anonymous) {
      return config_error(type, "must not set ReadOnly mode when using anonymous volumes");
    }
  } else if (type == "tmpfs") {
    if (bind_options != nullptr)
      return config_error(type, "field BindOptions must not be specified");
    if (!request.source.empty()) return config_error(type, "field Source must not be specified");
  } else {
    return config_error(type, "mount type unknown");
  }
  return {};
}

// Reads the Mount object into a request (no validation yet).
Result<MountRequest> read_request(const Json& mount) {
  constexpr std::string_view kWhere = "Mount";
  if (!mount.is_object()) return type_error(mount, "HostConfig", "Mounts", "mount.Mount");
  MountRequest out;
  out.type = TRY(get_string(mount, "Type", kWhere));
  out.source = TRY(get_string(mount, "Source", kWhere));
  out.destination = TRY(get_string(mount, "Target", kWhere));
  out.read_only = TRY(get_bool(mount, "ReadOnly", kWhere));
  if (const Json* bind = field(mount, "BindOptions")) {
    constexpr std::string_view kBind = "BindOptions";
    out.propagation = TRY(get_string(*bind, "Propagation", kBind));
    out.non_recursive = TRY(get_bool(*bind, "NonRecursive", kBind));
    out.create_mountpoint = TRY(get_bool(*bind, "CreateMountpoint", kBind));
    out.read_only_non_recursive = TRY(get_bool(*bind, "ReadOnlyNonRecursive", kBind));
    out.read_only_force_recursive = TRY(get_bool(*bind, "ReadOnlyForceRecursive", kBind));
  }
  if (const Json* volume = field(mount, "VolumeOptions")) {
    constexpr std::string_view kVolume = "VolumeOptions";
    out.volume_options = *volume;
    out.copy_data = !TRY(get_bool(*volume, "NoCopy", kVolume));
    out.volume_subpath = TRY(get_string(*volume, "Subpath", kVolume));
    if (const Json* driver = field(*volume, "DriverConfig")) {
      out.volume_driver = TRY(get_string(*driver, "Name", "Driver"));
    }
  }
  return out;
}

// Validates and finishes a request the way parseMountSpec does.
Result<MountRequest> finish_request(const Json& mount, MountRequest request, bool check_source,
                                    const DaemonDefaults& daemon) {
  TRY(validate_request(mount, request, check_source));
  bool propagation_given = !request.propagation.empty();
  if (request.type == "tmpfs") {
    const Json* options = field(mount, "TmpfsOptions");
    auto data = convert_tmpfs_options(options ? *options : Json::object(), request.read_only);
    if (!data.ok()) return config_error(request.type, data.error().message());
    request.tmpfs_data = data.take();
  }
  request.destination = clean_path(request.destination);
  if (request.type == "bind") {
    request.source = clean_path(request.source);
    if (request.propagation.empty()) request.propagation = "rprivate";
  } else {
    request.propagation.clear();
  }
  TRY(apply_data_root_rule(request, propagation_given, daemon));
  return request;
}

}  // namespace

Status validate_tmpfs_destination(std::string_view destination) {
  return check_destination(destination);
}

Result<MountRequest> parse_bind(std::string_view raw, std::string_view volume_driver,
                                const DaemonDefaults& daemon) {
  auto invalid_spec = [raw] {
    return make_error(ErrorCode::kInvalidArgument, "invalid volume specification: '{}'", raw);
  };
  std::vector<std::string> parts = split(raw, ':');
  if (parts.size() > 3) {
    // SplitN(raw, ":", 4): a fourth part means too many separators.
    return invalid_spec();
  }
  if (parts[0].empty()) return invalid_spec();
  Json mount = Json::object();
  std::string mode;
  switch (parts.size()) {
    case 1: mount["Target"] = parts[0]; break;
    case 2:
      if (valid_mount_mode(parts[1])) return invalid_spec();
      mount["Source"] = parts[0];
      mount["Target"] = parts[1];
      break;
    default:
      mount["Source"] = parts[0];
      mount["Target"] = parts[1];
      mode = parts[2];
      break;
  }
  if (!valid_mount_mode(mode)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid mode: {}", mode);
  }
  std::string source = mount.value("Source", "");
  mount["Type"] = !source.empty() && source.front() == '/' ? "bind" : "volume";
  mount["ReadOnly"] = has_option(mode, "ro");
  std::string propagation = propagation_of_mode(mode);
  if (!propagation.empty()) mount["BindOptions"] = {{"Propagation", propagation}};
  if (mount["Type"] == "volume") {
    Json volume_options = Json::object();
    if (!volume_driver.empty()) volume_options["DriverConfig"] = {{"Name", volume_driver}};
    if (has_option(mode, "nocopy")) volume_options["NoCopy"] = true;
    if (!volume_options.empty()) mount["VolumeOptions"] = volume_options;
  }

  auto request = read_request(mount);
  if (request.ok()) {
    request->from_binds = true;
    request->create_mountpoint = true;
    request->mode = mode;
    request = finish_request(mount, request.take(), false, daemon);
  }
  if (!request.ok()) {
    return make_error(ErrorCode::kInvalidArgument, "invalid volume specification: '{}': {}", raw,
                      request.error().message());
  }
  return request;
}

Result<MountRequest> parse_mount(const Json& mount, const DaemonDefaults& daemon) {
  MountRequest request = TRY(read_request(mount));
  return finish_request(mount, std::move(request), true, daemon);
}

Result<std::vector<std::string>> anonymous_volume_targets(
    const Json& config, const Json& host_config, const std::vector<MountRequest>& requests) {
  std::set<std::string> covered;
  for (const MountRequest& request : requests) covered.insert(request.destination);
  for (const auto& [destination, options] :
       TRY(get_string_map(host_config, "Tmpfs", "HostConfig"))) {
    covered.insert(clean_path(destination));
  }
  std::set<std::string> out;
  if (const Json* volumes = field(config, "Volumes")) {
    if (!volumes->is_object()) return type_error(*volumes, "Config", "Volumes", "map");
    for (const auto& [destination, value] : volumes->items()) {
      std::string cleaned = clean_path(destination);
      if (!covered.count(cleaned)) out.insert(cleaned);
    }
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<std::vector<MountRequest>> read_mount_requests(const Json& host_config,
                                                      const DaemonDefaults& daemon) {
  std::vector<MountRequest> out;
  std::set<std::string> destinations;
  std::string driver = TRY(get_string(host_config, "VolumeDriver", "HostConfig"));
  auto tmpfs = TRY(get_string_map(host_config, "Tmpfs", "HostConfig"));
  for (const std::string& raw : TRY(get_strings(host_config, "Binds", "HostConfig"))) {
    MountRequest request = TRY(parse_bind(raw, driver, daemon));
    if (!destinations.insert(request.destination).second || tmpfs.count(request.destination)) {
      return make_error(ErrorCode::kInvalidArgument, "Duplicate mount point: {}",
                        request.destination);
    }
    out.push_back(std::move(request));
  }
  if (const Json* mounts = field(host_config, "Mounts")) {
    if (!mounts->is_array()) return type_error(*mounts, "HostConfig", "Mounts", "[]mount.Mount");
    for (const Json& mount : *mounts) {
      MountRequest request = TRY(parse_mount(mount, daemon));
      if (!destinations.insert(request.destination).second) {
        return make_error(ErrorCode::kInvalidArgument, "Duplicate mount point: {}",
                          mount.value("Target", ""));
      }
      out.push_back(std::move(request));
    }
  }
  return out;
}

}  // namespace berth::cspec
