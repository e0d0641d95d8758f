#include "daemon/container_fs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_util.h"
#include "daemon/rootfs_mount.h"
#include "store/fs/dir_ops.h"

namespace berth::daemon {
namespace {

bool under(const std::string& path, const std::string& dest) {
  if (dest == "/") return true;
  return path == dest || (path.size() > dest.size() && path.compare(0, dest.size(), dest) == 0 &&
                          path[dest.size()] == '/');
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<UniqueFd> open_directory(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return errno_error("open " + path);
  return fd;
}

// Mounts the snapshot on a private directory, keeps an fd of it and detaches the mount.
Result<UniqueFd> mount_detached(const store::MountSpec& spec, const std::string& scratch_root) {
  TRY(make_dirs(scratch_root, 0700));
  std::string dir = scratch_root + "/" + store::fs::random_id(16);
  TRY(make_dirs(dir, 0700));
  auto st = mount_snapshot(spec, dir);
  if (!st.ok()) {
    ::rmdir(dir.c_str());
    return st.error();
  }
  auto fd = open_directory(dir);
  ::umount2(dir.c_str(), MNT_DETACH);
  ::rmdir(dir.c_str());
  return fd;
}

}  // namespace

Result<std::unique_ptr<ContainerFs>> ContainerFs::open(ContainerService& service,
                                                       const ContainerRef& entry) {
  std::unique_ptr<ContainerFs> fs(new ContainerFs());
  std::lock_guard lock(entry->mutex);
  const Container& c = entry->c;
  if (c.state.status == ContainerStatus::kRemoving || c.state.status == ContainerStatus::kDead) {
    return make_error(ErrorCode::kConflict, "container {} is marked for removal", c.id);
  }
  bool active = c.state.status == ContainerStatus::kRunning ||
                c.state.status == ContainerStatus::kPaused;
  if (active) {
    fs->root_ = TRY(open_directory(service.bundle_dir(c.id) + "/rootfs"));
  } else {
    auto& snapshots = service.deps().images->snapshots();
    store::MountSpec spec = TRY(snapshots.active_mount(c.snapshot_key));
    fs->root_ = TRY(mount_detached(spec, service.deps().config->exec_root + "/fs-access"));
  }
  fs->rootfs_read_only_ = c.host_config.value("ReadonlyRootfs", false);
  for (const auto& m : c.mounts) {
    if (m.type == "tmpfs" || m.source.empty()) continue;
    fs->mounts_.push_back({clean_path(m.destination), m.source, !m.rw});
  }
  // The files berthd bind-mounts over the image's.
  for (const auto& [dest, source] : {std::pair{"/etc/hostname", c.hostname_path},
                                     std::pair{"/etc/hosts", c.hosts_path},
                                     std::pair{"/etc/resolv.conf", c.resolv_conf_path}}) {
    if (!source.empty() && path_exists(source)) fs->mounts_.push_back({dest, source, false});
  }
  return fs;
}

std::string ContainerFs::root_path() const { return "/proc/self/fd/" + std::to_string(root_.get()); }

Result<int> ContainerFs::source_fd(const std::string& path) {
  auto it = opened_.find(path);
  if (it != opened_.end()) return it->second.get();
  UniqueFd fd = TRY(open_directory(path));
  int raw = fd.get();
  opened_.emplace(path, std::move(fd));
  return raw;
}

Result<ContainerFs::Target> ContainerFs::resolve(const std::string& container_path,
                                                 bool as_entry) {
  std::string path = clean_path("/" + container_path);
  const Mount* best = nullptr;
  for (const auto& m : mounts_) {
    if (under(path, m.destination) && (!best || m.destination.size() > best->destination.size()))
      best = &m;
  }
  Target t;
  if (best == nullptr) {
    t.root_fd = root_.get();
    t.path = path == "/" ? "" : path.substr(1);
    t.read_only = rootfs_read_only_;
    return t;
  }
  t.in_mount = true;
  t.read_only = best->read_only;
  bool is_dir = is_directory(best->source);
  if (path == best->destination && (as_entry || !is_dir)) {
    t.root_fd = TRY(source_fd(dirname(best->source)));
    t.path = basename(best->source);
    return t;
  }
  t.root_fd = TRY(source_fd(best->source));
  t.path = path == best->destination ? "" : path.substr(best->destination.size() + 1);
  return t;
}

}  // namespace berth::daemon
