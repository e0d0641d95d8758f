#include "image/archive_stage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_util.h"
#include "store/archive/compression.h"
#include "store/archive/tar_reader.h"
#include "store/fs/resolve.h"

namespace berth::image {

namespace {

Error invalid(std::string_view path, std::string_view why) {
  return make_error(ErrorCode::kPermissionDenied, "invalid archive: entry \"{}\": {}", path, why);
}

Result<std::string> clean_name(const std::string& path) {
  if (path.starts_with('/')) return invalid(path, "absolute path");
  auto rel = store::fs::sanitize_relative_path(path);
  if (!rel.ok()) return invalid(path, "path escapes the archive");
  return rel.take();
}

Status write_file(store::TarReader& tar, int root, const std::string& rel, const std::string& name,
                  const std::stop_token& stop) {
  auto [parent, base] = store::fs::split_parent(rel);
  auto dir = TRY(store::fs::open_dir_beneath(root, parent, store::fs::Resolve::kNoSymlinks, true));
  UniqueFd fd(::openat(dir.get(), base.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) {
    if (errno == EEXIST) return invalid(name, "duplicate entry");
    return errno_error("stage " + rel);
  }
  store::FdWriter out(fd.get());
  std::string buf(1 << 20, '\0');
  while (true) {
    if (stop.stop_requested()) return Error(ErrorCode::kCancelled, "load cancelled");
    size_t n = TRY(tar.read_data(buf.data(), buf.size()));
    if (n == 0) break;
    TRY(out.write(std::string_view(buf.data(), n)));
  }
  return {};
}

Status write_symlink(int root, const std::string& rel, const store::TarHeader& h) {
  // Old docker-archives link duplicate layers to each other ("../<id>/layer.tar"): allowed as
  // long as the target stays inside the archive.
  const std::string& target = h.link_target;
  if (target.empty() || target.starts_with('/'))
    return invalid(h.path, "symlink leaves the archive");
  // Resolved lexically from the link's directory, the target must not climb above the root.
  auto [link_dir, link_name] = store::fs::split_parent(rel);
  auto resolved = store::fs::sanitize_relative_path(link_dir + "/" + target);
  if (!resolved.ok() || resolved->empty()) return invalid(h.path, "symlink leaves the archive");
  auto dir =
      TRY(store::fs::open_dir_beneath(root, link_dir, store::fs::Resolve::kNoSymlinks, true));
  if (::symlinkat(target.c_str(), dir.get(), link_name.c_str()) != 0) {
    if (errno == EEXIST) return invalid(h.path, "duplicate entry");
    return errno_error("stage " + rel);
  }
  return {};
}

}  // namespace

Status stage_archive(store::Reader& archive, int root, const std::stop_token& stop) {
  store::DecompressingReader plain(archive);
  store::TarReader tar(plain);
  size_t entries = 0;
  while (true) {
    auto next = TRY_CTX(tar.next(), "invalid archive");
    if (!next) break;
    ++entries;
    const store::TarHeader& h = *next;
    std::string rel = TRY(clean_name(h.path));
    if (rel.empty()) continue;
    switch (h.type) {
      case store::EntryType::kDirectory:
        TRY(store::fs::open_dir_beneath(root, rel, store::fs::Resolve::kNoSymlinks, true));
        break;
      case store::EntryType::kRegular: TRY(write_file(tar, root, rel, h.path, stop)); break;
      case store::EntryType::kSymlink: TRY(write_symlink(root, rel, h)); break;
      default: return invalid(h.path, "unsupported entry type (an image archive holds files only)");
    }
  }
  if (entries == 0) return Error(ErrorCode::kInvalidArgument, "invalid archive: empty");
  return {};
}

Result<UniqueFd> open_staged(int root, std::string_view path) {
  auto rel = store::fs::sanitize_relative_path(path);
  if (!rel.ok() || path.starts_with('/')) {
    return make_error(ErrorCode::kPermissionDenied, "invalid archive: path \"{}\" escapes", path);
  }
  auto fd = store::fs::open_beneath(root, *rel, store::fs::Resolve::kInRoot, O_RDONLY);
  if (!fd.ok()) {
    if (fd.error().sys_errno() == ENOENT) {
      return make_error(ErrorCode::kNotFound, "invalid archive: {} is missing", path);
    }
    return std::move(fd).error();
  }
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return errno_error("stat " + std::string(path));
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid archive: {} is not a file", path);
  }
  return fd;
}

bool staged_exists(int root, std::string_view path) {
  return open_staged(root, path).ok();
}

Result<std::string> read_staged(int root, std::string_view path, size_t max) {
  auto fd = TRY(open_staged(root, path));
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("read " + std::string(path));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max) {
      return make_error(ErrorCode::kResourceExhausted, "invalid archive: {} is too large", path);
    }
  }
  return out;
}

}  // namespace berth::image
