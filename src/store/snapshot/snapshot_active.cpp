// Active (writable) snapshots: active/<key>/{upper,work} on top of a layer stack.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_util.h"
#include "base/scope_exit.h"
#include "base/time_format.h"
#include "store/fs/dir_ops.h"
#include "store/snapshot/overlay_snapshotter.h"
#include "store/snapshot/snapshot_records.h"

namespace berth::store {

namespace {

Status validate_key(const std::string& key) {
  bool ok = !key.empty() && key.size() <= 128 && key != "." && key != "..";
  for (char c : key) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '.' || c == '-';
    ok = ok && allowed;
  }
  if (!ok) return make_error(ErrorCode::kInvalidArgument, "invalid snapshot key \"{}\"", key);
  return {};
}

}  // namespace

Result<MountSpec> OverlaySnapshotter::prepare_active(const std::string& key,
                                                     const std::optional<Digest>& parent) {
  TRY(validate_key(key));
  auto held = TRY(lock(false));
  if (parent && !has_layer(*parent)) {
    return make_error(ErrorCode::kNotFound, "parent layer {} not found", parent->to_string());
  }
  std::string dir = active_dir(key);
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST) {
      return make_error(ErrorCode::kAlreadyExists, "snapshot {} already exists", key);
    }
    return errno_error("mkdir " + dir);
  }
  auto parent_fd = TRY(fs::open_dir(dirname(dir)));
  auto cleanup = ScopeExit([&] { (void)fs::remove_tree_at(parent_fd.get(), key); });
  // The upper dir becomes the container's "/": 0755 like any root directory.
  std::string upper = path_join(dir, "upper");
  if (::mkdir(upper.c_str(), 0755) != 0 || ::chmod(upper.c_str(), 0755) != 0) {
    return errno_error("mkdir " + upper);
  }
  if (::mkdir(path_join(dir, "work").c_str(), 0700) != 0) return errno_error("mkdir work");
  ActiveInfo info;
  info.key = key;
  info.parent = parent;
  info.created_unix_nanos = unix_nanos_now();
  // The record goes last: an active dir without one is an interrupted prepare.
  TRY(write_file_atomic(path_join(dir, kActiveRecordFile), active_record_json(info)));
  auto spec = TRY(describe(parent, key));
  cleanup.dismiss();
  return spec;
}

Result<ActiveInfo> OverlaySnapshotter::active(const std::string& key) const {
  TRY(validate_key(key));
  std::string dir = active_dir(key);
  if (!path_exists(path_join(dir, kActiveRecordFile))) {
    return make_error(ErrorCode::kNotFound, "snapshot {} not found", key);
  }
  return read_active_record(dir, key);
}

Result<MountSpec> OverlaySnapshotter::active_mount(const std::string& key) const {
  auto info = TRY(active(key));
  return describe(info.parent, key);
}

Result<std::vector<ActiveInfo>> OverlaySnapshotter::list_active() const {
  std::vector<ActiveInfo> out;
  auto dir = TRY(fs::open_dir(path_join(root_, "active")));
  for (const auto& key : TRY(fs::list_dir(dir.get()))) {
    auto info = active(key);
    if (info.ok()) out.push_back(info.take());
  }
  return out;
}

Status OverlaySnapshotter::remove_active(const std::string& key) {
  TRY(validate_key(key));
  auto held = TRY(lock(false));
  std::string dir = active_dir(key);
  if (!path_exists(dir)) return make_error(ErrorCode::kNotFound, "snapshot {} not found", key);
  // Move it out of active/ first, so it disappears at once even if the removal is long or
  // interrupted (tmp/ is cleared on open).
  std::string tmp_name = "active-" + fs::random_id(16);
  auto tmp = TRY(fs::open_dir(path_join(root_, "tmp")));
  auto active_fd = TRY(fs::open_dir(path_join(root_, "active")));
  if (::renameat(active_fd.get(), key.c_str(), tmp.get(), tmp_name.c_str()) != 0) {
    return errno_error("remove snapshot " + key);
  }
  TRY_CTX(fs::remove_tree_at(tmp.get(), tmp_name), "remove snapshot " + key);
  return {};
}

Result<uint64_t> OverlaySnapshotter::active_size(const std::string& key) const {
  auto info = TRY(active(key));
  auto fd = TRY(fs::open_dir(info.upper));
  return fs::tree_size(fd.get());
}

}  // namespace berth::store
