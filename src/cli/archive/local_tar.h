// Local ends of `cp`: packing a host path into a tar stream (docker's TarResource with its
// rename of the top entry) and unpacking a container's tar into a host directory (docker's Untar
// with NoLchown and NoOverwriteDirNonDir), refusing entries that would land outside it.
#pragma once

#include <string>

#include "base/result.h"
#include "cli/archive/copy_paths.h"
#include "cli/archive/tar.h"

namespace berth::cli {

// Writes `src` (file, directory tree, symlink, device) as tar entries named relative to its
// parent directory, the top name replaced by src.rebase_name when set; ends the archive.
Status tar_resource(const CopyInfo& src, TarWriter& out);

// Extracts every entry of `in` under `dst_dir`, renaming names per `plan`.
Status untar_into(TarReader& in, const std::string& dst_dir, const ArchiveCopyPlan& plan);

}  // namespace berth::cli
