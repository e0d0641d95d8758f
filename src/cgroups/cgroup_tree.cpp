#include "cgroups/cgroup_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "base/file_util.h"
#include "base/strings.h"
#include "cgroups/cgroup_file.h"

namespace berth::cgroups {

namespace {

using std::chrono::milliseconds;

struct DirEntries {
  std::vector<std::string> dirs;
  std::vector<std::string> files;
};

Result<DirEntries> list_dir(const std::string& dir) {
  DIR* handle = ::opendir(dir.c_str());
  if (!handle) return errno_error("opendir " + dir);
  DirEntries out;
  while (auto* entry = ::readdir(handle)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    (entry->d_type == DT_DIR ? out.dirs : out.files).push_back(name);
  }
  ::closedir(handle);
  return out;
}

bool on_cgroupfs(const std::string& dir) {
  struct statfs fs {};
  if (::statfs(dir.c_str(), &fs) != 0) return true;  // assume the real thing: never unlink
  return fs.f_type == CGROUP_SUPER_MAGIC || fs.f_type == CGROUP2_SUPER_MAGIC;
}

Status rmdir_retrying(const std::string& dir) {
  auto delay = milliseconds(10);
  for (int attempt = 0;; ++attempt) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return {};
    if (errno != EBUSY || attempt == 7) return errno_error("rmdir " + dir);
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, milliseconds(200));
  }
}

}  // namespace

Result<std::vector<std::string>> make_cgroup_dirs(const std::string& mount,
                                                  const std::string& path) {
  std::vector<std::string> levels;
  std::string current = mount;
  for (const auto& part : split(path, '/')) {
    if (part.empty()) continue;
    current = path_join(current, part);
    if (::mkdir(current.c_str(), 0755) != 0 && errno != EEXIST)
      return errno_error("mkdir " + current);
    levels.push_back(current);
  }
  return levels;
}

Status add_pid(const std::string& dir, pid_t pid) {
  for (int attempt = 0;; ++attempt) {
    auto status = write_cgroup_file(dir, "cgroup.procs", std::to_string(pid));
    if (status.ok() || status.error().sys_errno() != EINVAL || attempt == 5) return status;
    std::this_thread::sleep_for(milliseconds(20));
  }
}

Result<std::vector<pid_t>> read_pids_recursive(const std::string& dir) {
  std::vector<pid_t> pids;
  auto text = TRY(read_cgroup_file(dir, "cgroup.procs"));
  for (const auto& line : split(text, '\n')) {
    if (trim(line).empty()) continue;
    pids.push_back(static_cast<pid_t>(TRY(parse_int64(trim(line)))));
  }
  auto entries = TRY(list_dir(dir));
  for (const auto& child : entries.dirs) {
    auto more = read_pids_recursive(path_join(dir, child));
    // A child cgroup may vanish while we walk; that is not an error.
    if (!more.ok() && more.error().sys_errno() == ENOENT) continue;
    auto child_pids = TRY(std::move(more));
    pids.insert(pids.end(), child_pids.begin(), child_pids.end());
  }
  return pids;
}

Status signal_pids(const std::vector<pid_t>& pids, int sig) {
  for (pid_t pid : pids) {
    if (::kill(pid, sig) != 0 && errno != ESRCH)
      return errno_error(fmt::format("kill({}, {})", pid, sig));
  }
  return {};
}

Status remove_cgroup_dir(const std::string& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return errno_error("stat " + dir);
  }
  auto entries = TRY(list_dir(dir));
  for (const auto& child : entries.dirs) TRY(remove_cgroup_dir(path_join(dir, child)));
  if (!on_cgroupfs(dir)) {
    for (const auto& file : entries.files) ::unlink(path_join(dir, file).c_str());
  }
  return rmdir_retrying(dir);
}

}  // namespace berth::cgroups
