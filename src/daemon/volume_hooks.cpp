// Volumes for containers: acquire at create (an anonymous volume when the mount names none),
// populate before the first start (Docker's copy of the image's content into an empty
// volume), release at removal (anonymous volumes go with `rm -v` and --rm).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/log.h"
#include "daemon/names.h"
#include "daemon/volume_service.h"
#include "runtime/copy_tree.h"
#include "store/fs/dir_ops.h"
#include "sys/path_in_root.h"

namespace berth::daemon {
namespace {

constexpr int kMaxCopyDepth = 128;

std::map<std::string, std::string> string_map_of(const Json& j, const char* key) {
  std::map<std::string, std::string> out;
  if (!j.is_object() || !j.contains(key) || !j[key].is_object()) return out;
  for (auto& [k, v] : j[key].items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

}  // namespace

Result<MountPoint> VolumeService::acquire(const cspec::MountRequest& request, const Container& c) {
  bool anonymous = request.source.empty();
  std::string name = anonymous ? generate_id() : request.source;
  std::map<std::string, std::string> labels = string_map_of(request.volume_options, "Labels");
  std::map<std::string, std::string> options;
  if (request.volume_options.is_object() && request.volume_options.contains("DriverConfig"))
    options = string_map_of(request.volume_options["DriverConfig"], "Options");
  if (anonymous) labels[kAnonymousVolumeLabel] = "";

  std::lock_guard lock(mu_);
  Volume v = TRY(create_locked(name, request.volume_driver, options, labels));
  auto& users = users_[name];
  bool first = users.empty();
  users.insert(c.id);
  if (first && v.needs_mount()) {
    if (auto st = mount_locked(v); !st.ok()) {
      users.erase(c.id);
      return st.error();
    }
  }
  MountPoint m;
  m.type = "volume";
  m.name = name;
  m.source = data_dir(name);
  if (!request.volume_subpath.empty()) {
    m.source += "/" + clean_path(request.volume_subpath);
    if (!path_exists(m.source)) {
      users.erase(c.id);
      // Mounted above for this container alone: nobody else will unmount it.
      if (users.empty() && v.needs_mount()) unmount_locked(v);
      return make_error(ErrorCode::kInvalidArgument,
                        "cannot access path {}: subpath of volume {} does not exist", m.source, name);
    }
  }
  m.destination = request.destination;
  m.driver = v.driver;
  m.mode = request.mode;
  m.rw = !request.read_only;
  m.anonymous = v.anonymous();
  m.copy_data = request.copy_data;
  return m;
}

Status VolumeService::populate(const MountPoint& mount, const std::string& rootfs) {
  if (mount.type != "volume" || !mount.copy_data) return ok_status();
  UniqueFd dst(::open(mount.source.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dst) return errno_error("open volume " + mount.name);
  auto entries = TRY(store::fs::list_dir(dst.get()));
  if (!entries.empty()) return ok_status();  // only an empty volume is filled

  UniqueFd root(::open(rootfs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root) return errno_error("open " + rootfs);
  // Resolved inside the rootfs, so a symlink in the image cannot point the copy elsewhere.
  int fd = sys::open_in_root(root.get(), mount.destination.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd == -ENOENT || fd == -ENOTDIR) return ok_status();  // nothing in the image there
  if (fd < 0) return errno_error(-fd, "open " + mount.destination + " in the image");
  UniqueFd src(fd);
  struct stat st {};
  if (::fstat(src.get(), &st) != 0) return errno_error("stat " + mount.destination);
  // The volume takes the directory's owner and mode (a database image's data directory).
  if (::fchown(dst.get(), st.st_uid, st.st_gid) != 0) return errno_error("chown volume " + mount.name);
  if (::fchmod(dst.get(), st.st_mode & 07777) != 0) return errno_error("chmod volume " + mount.name);
  int rc = runtime::copy_tree_raw(src.get(), dst.get(), kMaxCopyDepth);
  if (rc != 0) {
    return errno_error(-rc, "copy " + mount.destination + " of the image into volume " + mount.name);
  }
  return ok_status();
}

void VolumeService::release(const MountPoint& mount, const Container& c, bool remove_anonymous) {
  if (mount.type != "volume" || mount.name.empty()) return;
  std::lock_guard lock(mu_);
  auto it = users_.find(mount.name);
  if (it != users_.end()) {
    it->second.erase(c.id);
    if (!it->second.empty()) return;  // others still use it
    users_.erase(it);
  }
  auto found = volumes_.find(mount.name);
  if (found == volumes_.end()) return;
  if (found->second.needs_mount()) unmount_locked(found->second);
  if (remove_anonymous && found->second.anonymous()) {
    if (auto st = remove_locked(mount.name); !st.ok())
      log::warn("remove volume {}: {}", mount.name, st.error().to_string());
  }
}

}  // namespace berth::daemon
