// The local driver's mounted volumes (`volume create -o type=tmpfs -o device=tmpfs -o o=size=1m`,
// `-o type=none -o o=bind -o device=/path`): mounted on _data while a container uses the
// volume, unmounted when the last one stops using it.
#include <sys/mount.h>

#include <cstring>
#include <fstream>

#include "base/log.h"
#include "base/strings.h"
#include "daemon/volume_service.h"
#include "sys/mount_options.h"

namespace berth::daemon {
namespace {

// mountinfo escapes space, tab, newline and backslash as octal.
std::string unescape_mountinfo(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
      out += static_cast<char>(v);
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool is_mount_point(const std::string& path) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    auto fields = split(line, ' ');
    if (fields.size() > 4 && unescape_mountinfo(fields[4]) == path) return true;
  }
  return false;
}

}  // namespace

Status VolumeService::mount_locked(const Volume& volume) {
  std::string target = data_dir(volume.name);
  if (is_mount_point(target)) return ok_status();
  std::string type = volume.options.contains("type") ? volume.options.at("type") : "";
  std::string device = volume.options.contains("device") ? volume.options.at("device") : "";
  std::vector<std::string> words;
  if (volume.options.contains("o") && !volume.options.at("o").empty())
    words = split(volume.options.at("o"), ',');
  auto options = TRY_CTX(sys::parse_mount_options(words), "volume " + volume.name);
  std::string what = "mount volume " + volume.name;
  if (options.bind) {
    if (::mount(device.c_str(), target.c_str(), nullptr, options.flags & (MS_BIND | MS_REC),
                nullptr) != 0)
      return errno_error(what);
    unsigned long remount = sys::bind_remount_flags(options);
    if (remount != 0 &&
        ::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | remount, nullptr) != 0) {
      int err = errno;
      ::umount2(target.c_str(), MNT_DETACH);
      return errno_error(err, what);
    }
    return ok_status();
  }
  if (::mount(device.c_str(), target.c_str(), type.c_str(), options.flags,
              options.data.empty() ? nullptr : options.data.c_str()) != 0)
    return errno_error(what);
  return ok_status();
}

void VolumeService::unmount_locked(const Volume& volume) {
  std::string target = data_dir(volume.name);
  if (!is_mount_point(target)) return;
  if (::umount2(target.c_str(), MNT_DETACH) != 0)
    log::warn("unmount volume {}: {}", volume.name, std::strerror(errno));
}

}  // namespace berth::daemon
