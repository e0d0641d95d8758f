#include "cgroups/cgroup_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "base/file_util.h"
#include "base/strings.h"
#include "base/unique_fd.h"

namespace berth::cgroups {

namespace {

CgroupWriteRecorder* g_recorder = nullptr;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The value as an error message shows it: one line, trimmed.
std::string shown_value(std::string_view value) {
  std::string out(trim(value));
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

}  // namespace

Status write_cgroup_file(const std::string& dir, std::string_view name, std::string_view value) {
  std::string path = path_join(dir, name);
  if (g_recorder) {
    if (int err = g_recorder->on_write(path, value); err != 0)
      return errno_error(err, fmt::format("write \"{}\" to {}", shown_value(value), path));
  }
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
  if (!fd) return errno_error(fmt::format("write \"{}\" to {}", shown_value(value), path));
  ssize_t n;
  do {
    n = ::write(fd.get(), value.data(), value.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno_error(fmt::format("write \"{}\" to {}", shown_value(value), path));
  if (static_cast<size_t>(n) != value.size())
    return make_error(ErrorCode::kInternal, "short write of \"{}\" to {}", shown_value(value),
                      path);
  return {};
}

Status write_cgroup_lines(const std::string& dir, std::string_view name, std::string_view value) {
  for (const auto& line : split(value, '\n')) {
    if (trim(line).empty()) continue;
    TRY(write_cgroup_file(dir, name, line));
  }
  return {};
}

bool cgroup_file_exists(const std::string& dir, std::string_view name) {
  return ::access(path_join(dir, name).c_str(), F_OK) == 0;
}

Result<std::string> read_cgroup_file(const std::string& dir, std::string_view name) {
  return read_file(path_join(dir, name));
}

Result<uint64_t> parse_cgroup_uint(std::string_view text) {
  text = trim(text);
  if (text == "max") return std::numeric_limits<uint64_t>::max();
  // v1 reports "unlimited" as -1 in a few files (cpu.cfs_quota_us, cpu.rt_runtime_us).
  if (!text.empty() && text.front() == '-') {
    TRY(parse_int64(text));
    return std::numeric_limits<uint64_t>::max();
  }
  return parse_uint64(text);
}

Result<uint64_t> read_cgroup_uint(const std::string& dir, std::string_view name) {
  auto text = TRY(read_cgroup_file(dir, name));
  auto value = parse_cgroup_uint(text);
  if (!value.ok()) return std::move(value.error().with_context(path_join(dir, name)));
  return value;
}

Result<std::map<std::string, uint64_t>> read_cgroup_keyed(const std::string& dir,
                                                          std::string_view name) {
  auto text = TRY(read_cgroup_file(dir, name));
  std::map<std::string, uint64_t> out;
  for (const auto& line : split(text, '\n')) {
    auto trimmed = trim(line);
    if (trimmed.empty()) continue;
    auto [key, rest] = split_once(trimmed, ' ');
    auto value = parse_cgroup_uint(rest);
    if (!value.ok()) {
      return make_error(ErrorCode::kDataLoss, "{}: malformed line \"{}\"", path_join(dir, name),
                        trimmed);
    }
    out[std::string(key)] = *value;
  }
  return out;
}

Result<uint64_t> read_cgroup_key(const std::string& dir, std::string_view name,
                                 std::string_view key) {
  auto values = TRY(read_cgroup_keyed(dir, name));
  auto it = values.find(std::string(key));
  return it == values.end() ? 0 : it->second;
}

Result<std::vector<std::string>> read_cgroup_words(const std::string& dir, std::string_view name) {
  auto text = TRY(read_cgroup_file(dir, name));
  std::vector<std::string> out;
  for (auto& line : split(text, '\n')) {
    for (auto& word : split(line, ' ')) {
      if (!word.empty()) out.push_back(word);
    }
  }
  return out;
}

Result<std::vector<std::string>> hugetlb_page_sizes(const std::string& dir,
                                                    std::string_view suffix) {
  DIR* handle = ::opendir(dir.c_str());
  if (!handle) return errno_error("opendir " + dir);
  std::vector<std::string> sizes;
  constexpr std::string_view kPrefix = "hugetlb.";
  while (auto* entry = ::readdir(handle)) {
    std::string_view name = entry->d_name;
    if (name.substr(0, kPrefix.size()) != kPrefix || !ends_with(name, suffix)) continue;
    std::string_view size = name.substr(kPrefix.size());
    if (size.size() <= suffix.size() + 1) continue;
    size = size.substr(0, size.size() - suffix.size() - 1);  // drop ".<suffix>"
    if (size.find('.') != std::string_view::npos) continue;  // hugetlb.2MB.rsvd.<suffix>
    sizes.emplace_back(size);
  }
  ::closedir(handle);
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

CgroupWriteRecorder::CgroupWriteRecorder() {
  g_recorder = this;
}
CgroupWriteRecorder* CgroupWriteRecorder::active() {
  return g_recorder;
}
CgroupWriteRecorder::~CgroupWriteRecorder() {
  g_recorder = nullptr;
}

std::vector<std::string> CgroupWriteRecorder::values_for(std::string_view name_suffix) const {
  std::vector<std::string> out;
  for (const auto& write : writes_) {
    if (ends_with(write.path, name_suffix)) out.push_back(write.value);
  }
  return out;
}

void CgroupWriteRecorder::fail(std::string name_suffix, int err, int times) {
  failures_.push_back({std::move(name_suffix), err, times});
}

int CgroupWriteRecorder::on_write(const std::string& path, std::string_view value) {
  writes_.push_back({path, std::string(value)});
  for (auto& failure : failures_) {
    if (failure.times > 0 && ends_with(path, failure.suffix)) {
      --failure.times;
      return failure.err;
    }
  }
  return 0;
}

}  // namespace berth::cgroups
