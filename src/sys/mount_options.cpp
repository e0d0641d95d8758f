#include "sys/mount_options.h"

#include <sys/mount.h>

#include <string_view>

#include "sys/syscalls.h"

namespace berth::sys {
namespace {

struct FlagOption {
  std::string_view name;
  bool clear;  // true: the option removes the flag ("rw" clears MS_RDONLY)
  unsigned long flag;
};

constexpr FlagOption kFlagOptions[] = {
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"defaults", false, 0},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"loud", true, MS_SILENT},
    {"mand", false, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"noiversion", true, MS_I_VERSION},
    {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"sync", false, MS_SYNCHRONOUS},
};

struct PropagationOption {
  std::string_view name;
  unsigned long flags;
};

constexpr PropagationOption kPropagationOptions[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

struct RecursiveOption {
  std::string_view name;
  bool clear;
  uint64_t attr;
};

// runc 1.1+'s recursive forms, applied to every submount with mount_setattr.
constexpr RecursiveOption kRecursiveOptions[] = {
    {"rro", false, kMountAttrRdonly},
    {"rrw", true, kMountAttrRdonly},
    {"rnosuid", false, kMountAttrNosuid},
    {"rsuid", true, kMountAttrNosuid},
    {"rnodev", false, kMountAttrNodev},
    {"rdev", true, kMountAttrNodev},
    {"rnoexec", false, kMountAttrNoexec},
    {"rexec", true, kMountAttrNoexec},
    {"rnodiratime", false, kMountAttrNodiratime},
    {"rdiratime", true, kMountAttrNodiratime},
    {"rnoatime", false, kMountAttrNoatime},
    {"rstrictatime", false, kMountAttrStrictatime},
    {"rrelatime", false, kMountAttrRelatime},
};

}  // namespace

Result<MountOptions> parse_mount_options(const std::vector<std::string>& options) {
  MountOptions out;
  for (const std::string& option : options) {
    if (option.empty()) continue;
    bool matched = false;
    for (const auto& f : kFlagOptions) {
      if (f.name != option) continue;
      if (f.clear) {
        out.flags &= ~f.flag;
      } else {
        out.flags |= f.flag;
      }
      if (f.flag & MS_BIND) out.bind = true;
      matched = true;
      break;
    }
    if (matched) continue;
    for (const auto& p : kPropagationOptions) {
      if (p.name != option) continue;
      out.propagation = p.flags;
      matched = true;
      break;
    }
    if (matched) continue;
    for (const auto& r : kRecursiveOptions) {
      if (r.name != option) continue;
      if ((r.attr & kMountAttrAtimeMask) || r.attr == kMountAttrRelatime) {
        // The atime family is one field: setting one clears the others.
        out.recursive_attr_clr |= kMountAttrAtimeMask;
        out.recursive_attr_set = (out.recursive_attr_set & ~kMountAttrAtimeMask) | r.attr;
      } else if (r.clear) {
        out.recursive_attr_clr |= r.attr;
        out.recursive_attr_set &= ~r.attr;
      } else {
        out.recursive_attr_set |= r.attr;
        out.recursive_attr_clr &= ~r.attr;
      }
      matched = true;
      break;
    }
    if (matched) continue;
    if (option == "tmpcopyup") {
      out.tmpcopyup = true;
      continue;
    }
    if (option == "idmap" || option == "ridmap") {
      out.idmap = true;
      continue;
    }
    if (option.find(',') != std::string::npos) {
      return make_error(ErrorCode::kInvalidArgument, "mount option \"{}\" must not contain ','",
                        option);
    }
    if (!out.data.empty()) out.data.push_back(',');
    out.data += option;
  }
  return out;
}

unsigned long bind_remount_flags(const MountOptions& options) {
  constexpr unsigned long kRemountable = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
                                         MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;
  return options.flags & kRemountable;
}

unsigned long propagation_from_name(const std::string& name) {
  for (const auto& p : kPropagationOptions) {
    if (p.name == name) return p.flags;
  }
  return 0;
}

}  // namespace berth::sys
