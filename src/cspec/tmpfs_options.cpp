#include "cspec/tmpfs_options.h"

#include <map>
#include <set>

#include "base/strings.h"
#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

// Option -> the flag it sets or clears; options of the same flag conflict. Propagation options
// all share one slot.
int flag_slot(const std::string& option) {
  static const std::map<std::string, int> kSlots = {
      {"ro", 1},           {"rw", 1},
      {"suid", 2},         {"nosuid", 2},
      {"dev", 3},          {"nodev", 3},
      {"exec", 4},         {"noexec", 4},
      {"sync", 5},         {"async", 5},
      {"dirsync", 6},      {"remount", 7},
      {"mand", 8},         {"nomand", 8},
      {"atime", 9},        {"noatime", 9},
      {"diratime", 10},    {"nodiratime", 10},
      {"relatime", 11},    {"norelatime", 11},
      {"strictatime", 12}, {"nostrictatime", 12},
      {"bind", -1},        {"rbind", -1},
      {"unbindable", -1},  {"runbindable", -1},
      {"private", -1},     {"rprivate", -1},
      {"shared", -1},      {"rshared", -1},
      {"slave", -1},       {"rslave", -1},
  };
  auto it = kSlots.find(option);
  return it == kSlots.end() ? 0 : it->second;
}

bool is_data_key(std::string_view key) {
  for (std::string_view valid :
       {"", "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol"}) {
    if (key == valid) return true;
  }
  return false;
}

// Go's fmt %q of a []string: ["a" "b"].
std::string go_quote_list(const std::vector<std::string>& parts) {
  std::string out = "[";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += ' ';
    out += fmt::format("{:?}", parts[i]);
  }
  return out + "]";
}

}  // namespace

Result<std::vector<std::string>> merge_tmpfs_options(const std::vector<std::string>& options) {
  std::set<int> flags_seen;
  std::set<std::string> data_seen;
  std::vector<std::string> reversed;
  for (auto it = options.rbegin(); it != options.rend(); ++it) {
    const std::string& option = *it;
    if (option == "defaults") continue;
    if (int slot = flag_slot(option); slot != 0) {
      if (flags_seen.insert(slot).second) reversed.push_back(option);
      continue;
    }
    bool has_value = false;
    auto [key, value] = split_once(option, '=', &has_value);
    if (!has_value || !is_data_key(key)) {
      std::vector<std::string> parts = {std::string(key)};
      if (has_value) parts.emplace_back(value);
      return make_error(ErrorCode::kInvalidArgument, "invalid tmpfs option {}",
                        go_quote_list(parts));
    }
    if (data_seen.insert(std::string(key)).second) reversed.push_back(option);
  }
  return std::vector<std::string>(reversed.rbegin(), reversed.rend());
}

Result<std::vector<std::string>> tmpfs_mount_options(const std::string& data) {
  std::vector<std::string> options = {"noexec", "nosuid", "nodev", "rprivate"};
  if (!data.empty()) {
    for (auto& option : split(data, ',')) options.push_back(std::move(option));
  }
  return merge_tmpfs_options(options);
}

Result<std::string> convert_tmpfs_options(const Json& tmpfs_options, bool read_only) {
  constexpr std::string_view kWhere = "TmpfsOptions";
  std::vector<std::string> raw;
  if (read_only) raw.emplace_back("ro");
  int64_t mode = TRY(get_int(tmpfs_options, "Mode", kWhere));
  if (mode != 0) raw.push_back(fmt::format("mode={:o}", mode));
  int64_t size = TRY(get_int(tmpfs_options, "SizeBytes", kWhere));
  if (size != 0) {
    // The largest unit that divides the size exactly, as dockerd writes it.
    std::string suffix;
    for (auto [unit, divisor] : {std::pair{"g", int64_t{1} << 30}, std::pair{"m", int64_t{1} << 20},
                                 std::pair{"k", int64_t{1} << 10}}) {
      if (size % divisor == 0) {
        size /= divisor;
        suffix = unit;
        break;
      }
    }
    raw.push_back(fmt::format("size={}{}", size, suffix));
  }
  if (const Json* options = field(tmpfs_options, "Options")) {
    if (!options->is_array()) return type_error(*options, kWhere, "Options", "[][]string");
    for (const Json& option : *options) {
      if (!option.is_array() || option.empty() || option.size() > 2) {
        return make_error(ErrorCode::kInvalidArgument, "invalid option array length");
      }
      for (const Json& part : option) {
        if (!part.is_string()) return type_error(part, kWhere, "Options", "string");
      }
      std::string name = option[0].get<std::string>();
      if (name != "exec" && name != "noexec") {
        return make_error(ErrorCode::kInvalidArgument, "invalid option: {}", name);
      }
      raw.push_back(option.size() == 1 ? name
                                       : fmt::format("{}={}", name, option[1].get<std::string>()));
    }
  }
  return join(raw, ",");
}

}  // namespace berth::cspec
