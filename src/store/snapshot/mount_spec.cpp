#include "store/snapshot/mount_spec.h"

#include "base/strings.h"

namespace berth::store {

std::string MountSpec::data() const {
  return join(options, ",");
}

Result<MountSpec> overlay_mount(const std::vector<LowerPaths>& lowers, const std::string& root,
                                const std::string& upper_abs, const std::string& upper_rel,
                                const std::string& work_abs, const std::string& work_rel,
                                const std::vector<std::string>& extra_options, size_t page_size) {
  MountSpec spec;
  spec.type = "overlay";
  spec.source = "overlay";
  for (const auto& l : lowers) spec.lowerdirs.push_back(l.absolute);
  spec.upperdir = upper_abs;
  spec.workdir = work_abs;
  enum Form { kAbsolute, kShortAbsolute, kShortRelative };
  for (Form form : {kAbsolute, kShortAbsolute, kShortRelative}) {
    std::vector<std::string> dirs;
    for (const auto& l : lowers) {
      dirs.push_back(form == kAbsolute        ? l.absolute
                     : form == kShortAbsolute ? l.short_absolute
                                              : l.short_relative);
    }
    bool relative = form == kShortRelative;
    std::vector<std::string> options{"lowerdir=" + join(dirs, ":")};
    if (!upper_abs.empty()) {
      options.push_back("upperdir=" + (relative ? upper_rel : upper_abs));
      options.push_back("workdir=" + (relative ? work_rel : work_abs));
    }
    options.insert(options.end(), extra_options.begin(), extra_options.end());
    // The kernel copies at most one page of mount data, including the terminating NUL.
    if (join(options, ",").size() + 1 <= page_size) {
      spec.options = std::move(options);
      if (relative) spec.working_dir = root;
      return spec;
    }
  }
  return make_error(ErrorCode::kResourceExhausted,
                    "{} layers do not fit in the overlay mount options", lowers.size());
}

}  // namespace berth::store
