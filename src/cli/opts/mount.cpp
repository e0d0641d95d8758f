#include "cli/opts/mount.h"

#include <unistd.h>

#include <map>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/flags/values.h"
#include "cli/format/units.h"
#include "cli/opts/csv.h"

namespace berth::cli {

std::string clean_path(std::string_view p) {
  if (p.empty()) return ".";
  bool rooted = p[0] == '/';
  std::vector<std::string> out;
  for (const auto& part : split(p, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!out.empty() && out.back() != "..") {
        out.pop_back();
      } else if (!rooted) {
        out.push_back("..");
      }
      continue;
    }
    out.push_back(part);
  }
  std::string joined = join(out, "/");
  if (rooted) return "/" + joined;
  return joined.empty() ? "." : joined;
}

std::string absolute_path(const std::string& path, const std::string& cwd_in) {
  std::string cwd = cwd_in;
  if (cwd.empty()) {
    char buf[4096];
    cwd = ::getcwd(buf, sizeof(buf)) != nullptr ? buf : "/";
  }
  if (!path.empty() && path[0] == '/') return clean_path(path);
  return clean_path(cwd + "/" + path);
}

namespace {

Error invalid(std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); }

struct Mount {
  std::string type = "volume";
  std::string source;
  std::string target;
  bool read_only = false;
  std::string consistency;
  // Bind options.
  bool has_bind = false;
  std::string propagation;
  bool non_recursive = false;
  bool ro_non_recursive = false;
  bool ro_force_recursive = false;
  // Volume options.
  bool has_volume = false;
  bool no_copy = false;
  std::map<std::string, std::string> volume_labels;
  std::string subpath;
  std::string driver_name;
  bool has_driver_options = false;
  std::map<std::string, std::string> driver_options;
  // Image options.
  bool has_image = false;
  std::string image_subpath;
  // Tmpfs options.
  bool has_tmpfs = false;
  int64_t size_bytes = 0;
  int64_t mode = 0;
};

OrderedJson to_json(const Mount& m) {
  OrderedJson j = OrderedJson::object();
  if (!m.type.empty()) j["Type"] = m.type;
  if (!m.source.empty()) j["Source"] = m.source;
  if (!m.target.empty()) j["Target"] = m.target;
  if (m.read_only) j["ReadOnly"] = true;
  if (!m.consistency.empty()) j["Consistency"] = m.consistency;
  if (m.has_bind) {
    OrderedJson b = OrderedJson::object();
    if (!m.propagation.empty()) b["Propagation"] = m.propagation;
    if (m.non_recursive) b["NonRecursive"] = true;
    if (m.ro_non_recursive) b["ReadOnlyNonRecursive"] = true;
    if (m.ro_force_recursive) b["ReadOnlyForceRecursive"] = true;
    j["BindOptions"] = b;
  }
  if (m.has_volume) {
    OrderedJson v = OrderedJson::object();
    if (m.no_copy) v["NoCopy"] = true;
    if (!m.volume_labels.empty()) {
      OrderedJson labels = OrderedJson::object();
      for (const auto& [k, val] : m.volume_labels) labels[k] = val;
      v["Labels"] = labels;
    }
    if (!m.subpath.empty()) v["Subpath"] = m.subpath;
    OrderedJson d = OrderedJson::object();
    if (!m.driver_name.empty()) d["Name"] = m.driver_name;
    if (!m.driver_options.empty()) {
      OrderedJson opts = OrderedJson::object();
      for (const auto& [k, val] : m.driver_options) opts[k] = val;
      d["Options"] = opts;
    }
    v["DriverConfig"] = d;
    j["VolumeOptions"] = v;
  }
  if (m.has_image) {
    OrderedJson i = OrderedJson::object();
    if (!m.image_subpath.empty()) i["Subpath"] = m.image_subpath;
    j["ImageOptions"] = i;
  }
  if (m.has_tmpfs) {
    OrderedJson t = OrderedJson::object();
    if (m.size_bytes != 0) t["SizeBytes"] = m.size_bytes;
    if (m.mode != 0) t["Mode"] = m.mode;
    j["TmpfsOptions"] = t;
  }
  return j;
}

void set_on_map(std::map<std::string, std::string>& target, std::string_view value) {
  auto [k, v] = split_once(value, '=');
  if (!k.empty()) target[std::string(k)] = std::string(v);
}

}  // namespace

Result<OrderedJson> parse_mount(std::string_view value, const std::string& cwd) {
  std::vector<std::string> fields = TRY(parse_csv_record(value));
  Mount m;
  for (const auto& field : fields) {
    bool has_value = false;
    auto [k, val] = split_once(field, '=', &has_value);
    std::string key = to_lower(k);
    std::string v(val);
    if (!has_value) {
      if (key == "readonly" || key == "ro") {
        m.read_only = true;
      } else if (key == "volume-nocopy") {
        m.has_volume = true;
        m.no_copy = true;
      } else if (key == "bind-nonrecursive") {
        m.has_bind = true;
        m.non_recursive = true;
      } else {
        return invalid(fmt::format("invalid field '{}' must be a key=value pair", field));
      }
      continue;
    }
    auto parse_bool = [&](bool& target) -> Status {
      auto b = parse_go_bool(v);
      if (!b.ok()) return invalid(fmt::format("invalid value for {}: {}", key, v));
      target = *b;
      return ok_status();
    };
    if (key == "type") {
      m.type = to_lower(v);
    } else if (key == "source" || key == "src") {
      m.source = v;
      if (!v.empty() && v[0] != '/' && v[0] == '.') m.source = absolute_path(v, cwd);
    } else if (key == "target" || key == "dst" || key == "destination") {
      m.target = v;
    } else if (key == "readonly" || key == "ro") {
      TRY(parse_bool(m.read_only));
    } else if (key == "consistency") {
      m.consistency = to_lower(v);
    } else if (key == "bind-propagation") {
      m.has_bind = true;
      m.propagation = to_lower(v);
    } else if (key == "bind-nonrecursive") {
      m.has_bind = true;
      TRY(parse_bool(m.non_recursive));
    } else if (key == "bind-recursive") {
      if (v == "enabled") {
      } else if (v == "disabled") {
        m.has_bind = true;
        m.non_recursive = true;
      } else if (v == "writable") {
        m.has_bind = true;
        m.ro_non_recursive = true;
      } else if (v == "readonly") {
        m.has_bind = true;
        m.ro_force_recursive = true;
      } else {
        return invalid(fmt::format(
            "invalid value for {}: {} (must be \"enabled\", \"disabled\", \"writable\", or "
            "\"readonly\")",
            key, v));
      }
    } else if (key == "volume-subpath") {
      m.has_volume = true;
      m.subpath = v;
    } else if (key == "volume-nocopy") {
      m.has_volume = true;
      auto b = parse_go_bool(v);
      if (!b.ok()) return invalid(fmt::format("invalid value for volume-nocopy: {}", v));
      m.no_copy = *b;
    } else if (key == "volume-label") {
      m.has_volume = true;
      set_on_map(m.volume_labels, v);
    } else if (key == "volume-driver") {
      m.has_volume = true;
      m.driver_name = v;
    } else if (key == "volume-opt") {
      m.has_volume = true;
      set_on_map(m.driver_options, v);
    } else if (key == "image-subpath") {
      m.has_image = true;
      m.image_subpath = v;
    } else if (key == "tmpfs-size") {
      auto size = ram_in_bytes(v);
      if (!size.ok()) return invalid(fmt::format("invalid value for {}: {}", key, v));
      m.has_tmpfs = true;
      m.size_bytes = *size;
    } else if (key == "tmpfs-mode") {
      char* end = nullptr;
      unsigned long mode = std::strtoul(v.c_str(), &end, 8);
      if (v.empty() || *end != '\0' || mode > 0xffffffffUL || v[0] == '-' || v[0] == '+') {
        return invalid(fmt::format("invalid value for {}: {}", key, v));
      }
      m.has_tmpfs = true;
      m.mode = static_cast<int64_t>(mode);
    } else {
      return invalid(fmt::format("unexpected key '{}' in '{}'", key, field));
    }
  }
  if (m.type.empty()) return invalid("type is required");
  if (m.target.empty()) return invalid("target is required");
  if (m.has_volume && m.type != "volume") {
    return invalid(fmt::format("cannot mix 'volume-*' options with mount type '{}'", m.type));
  }
  if (m.has_image && m.type != "image") {
    return invalid(fmt::format("cannot mix 'image-*' options with mount type '{}'", m.type));
  }
  if (m.has_bind && m.type != "bind") {
    return invalid(fmt::format("cannot mix 'bind-*' options with mount type '{}'", m.type));
  }
  if (m.has_tmpfs && m.type != "tmpfs") {
    return invalid(fmt::format("cannot mix 'tmpfs-*' options with mount type '{}'", m.type));
  }
  if (m.has_bind) {
    if (m.ro_non_recursive && !m.read_only) {
      return invalid(
          "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
    }
    if (m.ro_force_recursive) {
      if (!m.read_only) {
        return invalid(
            "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
      }
      if (m.propagation != "rprivate") {
        return invalid(
            "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified "
            "in conjunction");
      }
    }
  }
  return to_json(m);
}

}  // namespace berth::cli
