#include "store/snapshot/overlay_snapshotter.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/file_util.h"
#include "base/log.h"
#include "base/scope_exit.h"
#include "base/time_format.h"
#include "store/fs/dir_ops.h"
#include "store/snapshot/chain_id.h"
#include "store/snapshot/snapshot_records.h"

namespace berth::store {

namespace {

constexpr const char* kLayers = "layers";
constexpr const char* kLinks = "l";
constexpr const char* kActive = "active";
constexpr const char* kEmpty = "empty";
constexpr const char* kTmp = "tmp";
constexpr size_t kLinkLength = 12;

}  // namespace

Result<OverlaySnapshotter> OverlaySnapshotter::open(const std::string& root,
                                                    const SnapshotterOptions& options) {
  OverlaySnapshotter s(root, options);
  for (const char* dir : {kLayers, kLinks, kActive, kEmpty, kTmp}) {
    TRY_CTX(make_dirs(path_join(root, dir), dir == std::string(kTmp) ? 0700 : 0755),
            "snapshotter " + root);
  }
  if (s.options_.page_size == 0)
    s.options_.page_size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  // Shared lower layers must not be tied to one upper (index), and directory renames must stay
  // visible to a tree walk (no redirect xattrs): both only where the kernel knows the option.
  if (path_exists("/sys/module/overlay/parameters/index")) {
    s.extra_mount_options_.push_back("index=off");
  }
  if (path_exists("/sys/module/overlay/parameters/redirect_dir")) {
    s.extra_mount_options_.push_back("redirect_dir=off");
  }
  if (options.rootless) s.extra_mount_options_.push_back("userxattr");
  TRY_CTX(s.clean_leftovers(), "snapshotter " + root);
  return s;
}

std::string OverlaySnapshotter::layer_dir(const Digest& chain_id) const {
  return path_join(path_join(root_, kLayers), chain_id.hex());
}

std::string OverlaySnapshotter::active_dir(const std::string& key) const {
  return path_join(path_join(root_, kActive), key);
}

Result<UniqueFd> OverlaySnapshotter::lock(bool exclusive) const {
  // A fresh open file description per acquisition: flock does not exclude holders of the same
  // description, so sharing one fd between threads would not lock anything.
  std::string path = path_join(root_, "lock");
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return errno_error("open " + path);
  while (::flock(fd.get(), exclusive ? LOCK_EX : LOCK_SH) != 0) {
    if (errno != EINTR) return errno_error("lock " + path);
  }
  return fd;
}

Status OverlaySnapshotter::clean_leftovers() {
  // Only when nobody else (another process on the same root) is working.
  std::string path = path_join(root_, "lock");
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return errno_error("open " + path);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) return {};
  auto tmp = TRY(fs::open_dir(path_join(root_, kTmp)));
  TRY(fs::remove_children(tmp.get()));
  // Short links whose layer never got renamed into place.
  auto links = TRY(fs::open_dir(path_join(root_, kLinks)));
  for (const auto& name : TRY(fs::list_dir(links.get()))) {
    struct stat st {};
    if (::fstatat(links.get(), name.c_str(), &st, 0) != 0 && errno == ENOENT) {
      log::debug("snapshotter: removing dangling link {}", name);
      ::unlinkat(links.get(), name.c_str(), 0);
    }
  }
  return {};
}

UnpackOptions OverlaySnapshotter::unpack_options() const {
  UnpackOptions o;
  o.apply.whiteouts = WhiteoutMode::kOverlay;
  o.apply.resolve = fs::Resolve::kNoSymlinks;
  o.apply.rootless = options_.rootless;
  o.apply.overlay_xattr_prefix =
      std::string(options_.rootless ? kOverlayUserPrefix : kOverlayTrustedPrefix);
  return o;
}

bool OverlaySnapshotter::has_layer(const Digest& chain_id) const {
  return path_exists(path_join(layer_dir(chain_id), kLayerRecordFile));
}

Result<LayerInfo> OverlaySnapshotter::layer(const Digest& chain_id) const {
  if (!has_layer(chain_id)) {
    return make_error(ErrorCode::kNotFound, "layer {} not found", chain_id.to_string());
  }
  return TRY(read_layer_record(layer_dir(chain_id))).info;
}

Result<std::vector<LayerInfo>> OverlaySnapshotter::list_layers() const {
  std::vector<LayerInfo> out;
  auto dir = TRY(fs::open_dir(path_join(root_, kLayers)));
  for (const auto& name : TRY(fs::list_dir(dir.get()))) {
    auto record = read_layer_record(path_join(path_join(root_, kLayers), name));
    if (!record.ok()) {
      log::warn("snapshotter: skipping layer {}: {}", name, record.error().to_string());
      continue;
    }
    out.push_back(std::move(record->info));
  }
  return out;
}

Result<std::vector<std::string>> OverlaySnapshotter::layer_dirs(
    const std::optional<Digest>& chain_id) const {
  std::vector<std::string> dirs;
  std::optional<Digest> cur = chain_id;
  while (cur) {
    auto info = TRY(layer(*cur));
    dirs.push_back(info.path);
    cur = info.parent;
    if (dirs.size() > 4096) return make_error(ErrorCode::kDataLoss, "layer parent cycle");
  }
  std::reverse(dirs.begin(), dirs.end());
  return dirs;
}

Result<LayerInfo> OverlaySnapshotter::add_layer(const std::optional<Digest>& parent,
                                                Reader& layer_stream,
                                                const std::optional<Digest>& expected_diff_id) {
  auto held = TRY(lock(false));
  if (parent && !has_layer(*parent)) {
    return make_error(ErrorCode::kNotFound, "parent layer {} not found", parent->to_string());
  }
  if (expected_diff_id) {
    Digest expected_chain = parent ? chain_id(*parent, *expected_diff_id) : *expected_diff_id;
    if (has_layer(expected_chain)) return layer(expected_chain);
  }
  std::string tmp_name = fs::random_id(16);
  std::string tmp = path_join(path_join(root_, kTmp), tmp_name);
  if (::mkdir(tmp.c_str(), 0755) != 0) return errno_error("mkdir " + tmp);
  auto tmp_fd = TRY(fs::open_dir(path_join(root_, kTmp)));
  auto cleanup = ScopeExit([&] { (void)fs::remove_tree_at(tmp_fd.get(), tmp_name); });

  UnpackOptions unpack = unpack_options();
  unpack.expected_diff_id = expected_diff_id;
  auto unpacked = TRY_CTX(unpack_layer(layer_stream, path_join(tmp, "fs"), unpack), "add layer");

  LayerRecord record;
  record.info.diff_id = unpacked.diff_id;
  record.info.parent = parent;
  record.info.chain_id = parent ? chain_id(*parent, unpacked.diff_id) : unpacked.diff_id;
  record.info.created_unix_nanos = unix_nanos_now();
  {
    auto fs_fd = TRY(fs::open_dir(path_join(tmp, "fs")));
    record.info.size = TRY(fs::tree_size(fs_fd.get()));
  }
  std::string hex = record.info.chain_id.hex();
  if (has_layer(record.info.chain_id)) return layer(record.info.chain_id);  // someone beat us

  auto links = TRY(fs::open_dir(path_join(root_, kLinks)));
  std::string link_target = std::string("../") + kLayers + "/" + hex + "/fs";
  for (int attempt = 0; record.link.empty(); ++attempt) {
    std::string candidate = fs::random_id(kLinkLength);
    if (::symlinkat(link_target.c_str(), links.get(), candidate.c_str()) == 0) {
      record.link = candidate;
    } else if (errno != EEXIST || attempt > 16) {
      return errno_error("symlink l/" + candidate);
    }
  }
  auto unlink_link = ScopeExit([&] { ::unlinkat(links.get(), record.link.c_str(), 0); });
  TRY(write_file_atomic(path_join(tmp, kLayerRecordFile), layer_record_json(record)));

  auto layers = TRY(fs::open_dir(path_join(root_, kLayers)));
  if (::renameat2(tmp_fd.get(), tmp_name.c_str(), layers.get(), hex.c_str(), RENAME_NOREPLACE) !=
      0) {
    if (errno == EEXIST || errno == ENOTEMPTY) return layer(record.info.chain_id);
    return errno_error("rename layer " + hex);
  }
  cleanup.dismiss();
  unlink_link.dismiss();
  TRY(fs::fsync_fd(layers.get(), "layers"));
  TRY(fs::fsync_fd(links.get(), "l"));
  record.info.path = path_join(layer_dir(record.info.chain_id), "fs");
  return record.info;
}

Result<MountSpec> OverlaySnapshotter::describe(const std::optional<Digest>& parent,
                                               const std::string& key) const {
  std::vector<LowerPaths> lowers;  // top first
  std::optional<Digest> cur = parent;
  while (cur) {
    auto record = TRY(read_layer_record(layer_dir(*cur)));
    std::string link_rel = std::string(kLinks) + "/" + record.link;
    lowers.push_back({record.info.path, path_join(root_, link_rel), link_rel});
    cur = record.info.parent;
    if (lowers.size() > 4096) return make_error(ErrorCode::kDataLoss, "layer parent cycle");
  }
  std::string empty = path_join(root_, kEmpty);
  if (key.empty()) {
    // Read-only view: overlay needs two lowers without an upper; fewer is a plain bind.
    if (lowers.size() < 2) {
      MountSpec spec;
      spec.type = "bind";
      spec.source = lowers.empty() ? empty : lowers.front().absolute;
      spec.options = {"ro", "rbind"};
      spec.lowerdirs = {spec.source};
      return spec;
    }
    return overlay_mount(lowers, root_, "", "", "", "", extra_mount_options_, options_.page_size);
  }
  // A scratch container still needs a lower dir: the always-empty one.
  if (lowers.empty()) lowers.push_back({empty, empty, kEmpty});
  std::string rel = std::string(kActive) + "/" + key;
  return overlay_mount(lowers, root_, path_join(root_, rel + "/upper"), rel + "/upper",
                       path_join(root_, rel + "/work"), rel + "/work", extra_mount_options_,
                       options_.page_size);
}

Result<MountSpec> OverlaySnapshotter::view(const std::optional<Digest>& parent) const {
  if (parent && !has_layer(*parent)) {
    return make_error(ErrorCode::kNotFound, "layer {} not found", parent->to_string());
  }
  return describe(parent, "");
}

}  // namespace berth::store
