#include "store/archive/layer_diff.h"

#include "store/archive/lower_view.h"
#include "store/archive/tree_walker.h"
#include "store/fs/dir_ops.h"

namespace berth::store {

namespace {

Result<ArchiveResult> write_walk(TreeWalker::Mode mode, const std::vector<std::string>& lowers,
                                 const std::string& top, Writer& out, const DiffOptions& options) {
  std::string opaque_xattr = options.overlay_xattr_prefix + std::string(kOverlayOpaqueSuffix);
  auto view = TRY(LowerView::open(lowers, opaque_xattr));
  auto top_fd = TRY(fs::open_dir(top));
  ArchiveSink sink(out, options.compression, options.level);
  TreeWalker walker(sink, mode, &view, opaque_xattr);
  TRY(walker.walk_dir(top_fd.get(), "", false));
  return sink.finish();
}

}  // namespace

Result<ArchiveResult> write_layer_diff(const std::vector<std::string>& lowers,
                                       const std::string& upper, Writer& out,
                                       const DiffOptions& options) {
  return TRY_CTX(write_walk(TreeWalker::Mode::kOverlayDiff, lowers, upper, out, options),
                 "diff " + upper);
}

Result<ArchiveResult> write_directory_diff(const std::vector<std::string>& lowers,
                                           const std::string& new_tree, Writer& out,
                                           const DiffOptions& options) {
  return TRY_CTX(write_walk(TreeWalker::Mode::kDirectoryDiff, lowers, new_tree, out, options),
                 "diff " + new_tree);
}

Result<ArchiveResult> write_tar(const std::string& dir, Writer& out, const DiffOptions& options) {
  return TRY_CTX(write_walk(TreeWalker::Mode::kFullTree, {}, dir, out, options), "tar " + dir);
}

}  // namespace berth::store
