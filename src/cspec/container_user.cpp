#include "cspec/container_user.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "sys/path_in_root.h"

namespace berth::cspec {
namespace {

constexpr int64_t kMaxId = (int64_t{1} << 31) - 1;
// A passwd or group file larger than this is not an account database.
constexpr off_t kMaxAccountFile = 16 << 20;

// Go's strconv.Atoi: optional sign, decimal digits, no spaces; nullopt otherwise.
std::optional<int64_t> atoi(std::string_view text) {
  auto value = parse_int64(text);
  if (!value.ok() || text.empty() || text.front() == '+') return std::nullopt;
  return *value;
}

// Like moby/sys/user's parseLine: a field that is not a number reads as 0.
int64_t id_field(std::string_view text) {
  return atoi(text).value_or(0);
}

struct PasswdEntry {
  std::string name;
  int64_t uid = 0;
  int64_t gid = 0;
};

struct GroupEntry {
  std::string name;
  int64_t gid = 0;
  std::vector<std::string> members;
};

std::vector<PasswdEntry> parse_passwd(const std::string& text) {
  std::vector<PasswdEntry> out;
  for (const std::string& raw : split(text, '\n')) {
    std::string_view line = trim(raw);
    if (line.empty()) continue;
    auto parts = split(line, ':');
    PasswdEntry entry;
    entry.name = parts[0];
    if (parts.size() > 2) entry.uid = id_field(parts[2]);
    if (parts.size() > 3) entry.gid = id_field(parts[3]);
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<GroupEntry> parse_group(const std::string& text) {
  std::vector<GroupEntry> out;
  for (const std::string& raw : split(text, '\n')) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto parts = split(line, ':');
    GroupEntry entry;
    entry.name = parts[0];
    if (parts.size() > 2) entry.gid = id_field(parts[2]);
    if (parts.size() > 3 && !parts[3].empty()) entry.members = split(parts[3], ',');
    out.push_back(std::move(entry));
  }
  return out;
}

Error range_error() {
  return make_error(ErrorCode::kInvalidArgument, "uids and gids must be in range 0-{}", kMaxId);
}

// Opens `path` inside the root and reads it when it is a regular file; nullopt when it is
// missing, escapes nowhere (RESOLVE_IN_ROOT keeps it inside), or is something else.
Result<std::optional<std::string>> read_in_root(int root_fd, const char* path) {
  int fd = sys::open_in_root(root_fd, path, O_PATH);
  if (fd < 0) {
    if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP) return std::optional<std::string>();
    return errno_error(-fd, fmt::format("open {} in the container's root", path));
  }
  UniqueFd path_fd(fd);
  struct stat st {};
  if (::fstat(path_fd.get(), &st) != 0) return errno_error(fmt::format("stat {}", path));
  if (!S_ISREG(st.st_mode)) return std::optional<std::string>();
  if (st.st_size > kMaxAccountFile) {
    return make_error(ErrorCode::kInvalidArgument, "{} in the container is too large", path);
  }
  // Re-open the pinned inode for reading: the O_PATH fd cannot read, and opening the path again
  // could find a different file.
  std::string proc_path = fmt::format("/proc/self/fd/{}", path_fd.get());
  UniqueFd file(::open(proc_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!file) return errno_error(fmt::format("open {}", path));
  std::string text;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(file.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error(fmt::format("read {}", path));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > static_cast<size_t>(kMaxAccountFile)) {
      return make_error(ErrorCode::kInvalidArgument, "{} in the container is too large", path);
    }
  }
  return std::optional<std::string>(std::move(text));
}

// GroupAdd entries to gids: a group of that name or number, else a plain number (moby's
// GetAdditionalGroups, in the request's order rather than a Go map's).
Result<std::vector<uint32_t>> additional_groups(const std::vector<std::string>& group_add,
                                                const std::vector<GroupEntry>& groups) {
  std::vector<uint32_t> out;
  auto add = [&out](int64_t gid) {
    if (std::find(out.begin(), out.end(), static_cast<uint32_t>(gid)) == out.end()) {
      out.push_back(static_cast<uint32_t>(gid));
    }
  };
  for (const std::string& wanted : group_add) {
    auto match = std::find_if(groups.begin(), groups.end(), [&wanted](const GroupEntry& g) {
      return g.name == wanted || std::to_string(g.gid) == wanted;
    });
    if (match != groups.end()) {
      add(match->gid);
      continue;
    }
    auto gid = parse_int64(wanted);
    if (!gid.ok()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "Unable to find group {}: no matching entries in group file", wanted);
    }
    if (*gid < 0 || *gid > kMaxId) return range_error();
    add(*gid);
  }
  return out;
}

}  // namespace

Result<AccountFiles> read_account_files(const std::string& rootfs) {
  UniqueFd root(::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return errno_error(fmt::format("open rootfs {}", rootfs));
  AccountFiles files;
  auto passwd = TRY(read_in_root(root.get(), "/etc/passwd"));
  auto group = TRY(read_in_root(root.get(), "/etc/group"));
  files.has_passwd = passwd.has_value();
  files.has_group = group.has_value();
  files.passwd = passwd.value_or("");
  files.group = group.value_or("");
  return files;
}

Result<oci::User> resolve_user(std::string_view user_spec,
                               const std::vector<std::string>& group_add,
                               const AccountFiles& files) {
  auto spec_parts = split(user_spec, ':');
  std::string user_arg = spec_parts.size() > 0 ? spec_parts[0] : "";
  std::string group_arg = spec_parts.size() > 1 ? spec_parts[1] : "";
  std::optional<int64_t> uid_arg = atoi(user_arg);
  std::optional<int64_t> gid_arg = atoi(group_arg);

  int64_t uid = 0;
  int64_t gid = 0;
  std::vector<int64_t> sgids;
  std::string matched_name;

  std::vector<PasswdEntry> users =
      files.has_passwd ? parse_passwd(files.passwd) : std::vector<PasswdEntry>();
  auto user_match = std::find_if(users.begin(), users.end(), [&](const PasswdEntry& u) {
    if (user_arg.empty()) return u.uid == 0;
    if (uid_arg) return u.uid == *uid_arg;
    return u.name == user_arg;
  });
  if (user_match != users.end()) {
    matched_name = user_match->name;
    uid = user_match->uid;
    gid = user_match->gid;
  } else if (!user_arg.empty()) {
    if (!uid_arg) {
      return make_error(ErrorCode::kInvalidArgument,
                        "unable to find user {}: no matching entries in passwd file", user_arg);
    }
    uid = *uid_arg;
    if (uid < 0 || uid > kMaxId) return range_error();
  }

  std::vector<GroupEntry> groups =
      files.has_group ? parse_group(files.group) : std::vector<GroupEntry>();
  if (!group_arg.empty()) {
    auto group_match = std::find_if(groups.begin(), groups.end(), [&](const GroupEntry& g) {
      return gid_arg ? g.gid == *gid_arg : g.name == group_arg;
    });
    if (group_match != groups.end()) {
      gid = group_match->gid;
    } else {
      if (!gid_arg) {
        return make_error(ErrorCode::kInvalidArgument,
                          "unable to find group {}: no matching entries in group file", group_arg);
      }
      gid = *gid_arg;
      if (gid < 0 || gid > kMaxId) return range_error();
    }
  } else if (!matched_name.empty()) {
    for (const GroupEntry& g : groups) {
      if (std::find(g.members.begin(), g.members.end(), matched_name) != g.members.end()) {
        sgids.push_back(g.gid);
      }
    }
  }

  oci::User out;
  out.uid = static_cast<uint32_t>(uid);
  out.gid = static_cast<uint32_t>(gid);
  out.additional_gids.push_back(out.gid);
  for (int64_t sgid : sgids) out.additional_gids.push_back(static_cast<uint32_t>(sgid));
  if (!group_add.empty()) {
    for (uint32_t extra : TRY(additional_groups(group_add, groups))) {
      out.additional_gids.push_back(extra);
    }
  }
  return out;
}

}  // namespace berth::cspec
