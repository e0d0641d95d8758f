#include "cli/run/device_opts.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/format/units.h"
#include "cli/opts/csv.h"
#include "cli/opts/mount.h"

namespace berth::cli {
namespace {

Error invalid(std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); }

bool valid_device_mode(std::string_view mode) {
  if (mode.empty()) return false;
  bool seen_r = false, seen_w = false, seen_m = false;
  for (char c : mode) {
    bool* seen = c == 'r' ? &seen_r : c == 'w' ? &seen_w : c == 'm' ? &seen_m : nullptr;
    if (seen == nullptr || *seen) return false;
    *seen = true;
  }
  return true;
}

Result<std::pair<std::string, std::string>> device_path_and_value(std::string_view value) {
  bool ok = false;
  auto [k, v] = split_once(value, ':', &ok);
  if (!ok || k.empty()) return invalid(fmt::format("bad format: {}", value));
  if (!k.starts_with("/dev/")) return invalid(fmt::format("bad format for device path: {}", value));
  return std::make_pair(std::string(k), std::string(v));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Result<OrderedJson> parse_gpu_request(std::string_view value) {
  std::vector<std::string> fields = TRY(parse_csv_record(value));
  std::string driver;
  int64_t count = 0;
  bool count_seen = false;
  std::optional<std::vector<std::string>> device_ids;
  std::optional<std::vector<std::string>> caps;
  std::map<std::string, std::string> options;
  std::set<std::string> seen;
  auto parse_count = [](const std::string& s) -> Result<int64_t> {
    if (s == "all") return int64_t{-1};
    auto v = parse_int64(s);
    if (!v.ok()) {
      return invalid(fmt::format(
          "invalid count ({}): value must be either \"all\" or an integer: invalid syntax", s));
    }
    return *v;
  };
  for (const auto& field : fields) {
    bool with_value = false;
    auto [k, v] = split_once(field, '=', &with_value);
    std::string key(k);
    if (seen.count(key)) {
      return invalid(fmt::format("gpu request key '{}' can be specified only once", key));
    }
    seen.insert(key);
    if (!with_value) {
      seen.insert("count");
      count_seen = true;
      count = TRY(parse_count(key));
      continue;
    }
    std::string val(v);
    if (key == "driver") {
      driver = val;
    } else if (key == "count") {
      count_seen = true;
      count = TRY(parse_count(val));
    } else if (key == "device") {
      device_ids = split(val, ',');
    } else if (key == "capabilities") {
      caps = split(val, ',');
      caps->push_back("gpu");
    } else if (key == "options") {
      auto opt_fields = parse_csv_record(val);
      if (!opt_fields.ok()) {
        return invalid("failed to read gpu options: " + opt_fields.error().message());
      }
      for (const auto& o : *opt_fields) {
        auto [ok_, ov] = split_once(o, '=');
        options[std::string(ok_)] = std::string(ov);
      }
    } else {
      return invalid(fmt::format("unexpected key '{}' in '{}'", key, field));
    }
  }
  if (!count_seen && !device_ids) count = 1;
  OrderedJson j = OrderedJson::object();
  j["Driver"] = driver;
  j["Count"] = count;
  j["DeviceIDs"] = device_ids ? OrderedJson(*device_ids) : OrderedJson(nullptr);
  j["Capabilities"] = OrderedJson::array({caps ? OrderedJson(*caps) : OrderedJson::array({"gpu"})});
  OrderedJson opts = OrderedJson::object();
  for (const auto& [k, v] : options) opts[k] = v;
  j["Options"] = opts;
  return j;
}

Result<OrderedJson> parse_weight_device(std::string_view value) {
  auto [path, weight_text] = TRY(device_path_and_value(value));
  auto weight = parse_uint64(weight_text);
  if (!all_digits(weight_text) || !weight.ok() || *weight > 65535 ||
      (*weight > 0 && (*weight < 10 || *weight > 1000))) {
    return invalid(fmt::format("invalid weight for device: {}", value));
  }
  OrderedJson j = OrderedJson::object();
  j["Path"] = path;
  j["Weight"] = *weight;
  return j;
}

Result<OrderedJson> parse_throttle_bps_device(std::string_view value) {
  auto [path, rate_text] = TRY(device_path_and_value(value));
  auto rate = ram_in_bytes(rate_text);
  if (!rate.ok() || *rate < 0) {
    return invalid(fmt::format(
        "invalid rate for device: {}. The correct format is <device-path>:<number>[<unit>]. "
        "Number must be a positive integer. Unit is optional and can be kb, mb, or gb",
        value));
  }
  OrderedJson j = OrderedJson::object();
  j["Path"] = path;
  j["Rate"] = static_cast<uint64_t>(*rate);
  return j;
}

Result<OrderedJson> parse_throttle_iops_device(std::string_view value) {
  auto [path, rate_text] = TRY(device_path_and_value(value));
  auto rate = parse_uint64(rate_text);
  if (!all_digits(rate_text) || !rate.ok()) {
    return invalid(fmt::format(
        "invalid rate for device: {}. The correct format is <device-path>:<number>. Number must "
        "be a positive integer",
        value));
  }
  OrderedJson j = OrderedJson::object();
  j["Path"] = path;
  j["Rate"] = *rate;
  return j;
}

Result<int64_t> parse_cpus(std::string_view value) {
  auto fail = [&] {
    return invalid(fmt::format("failed to parse {} as a rational number", value));
  };
  std::string s(value);
  // big.Rat also takes "a/b".
  if (size_t slash = s.find('/'); slash != std::string::npos) {
    auto num = parse_int64(s.substr(0, slash));
    auto den = parse_int64(s.substr(slash + 1));
    if (!num.ok() || !den.ok() || *den == 0) return fail();
    __int128 scaled = static_cast<__int128>(*num) * 1000000000;
    if (scaled % *den != 0) return invalid("value is too precise");
    return static_cast<int64_t>(scaled / *den);
  }
  static const std::regex kDecimal(R"(^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$)");
  std::smatch m;
  if (!std::regex_match(s, m, kDecimal) || (m[2].length() == 0 && m[3].length() == 0)) {
    return fail();
  }
  std::string digits = m[2].str() + m[3].str();
  int64_t exp = 9 - static_cast<int64_t>(m[3].length());
  if (m[4].matched) exp += std::stoll(m[4].str());
  // Value = digits * 10^exp; it must be an integer.
  while (exp < 0) {
    if (digits.empty() || digits.back() != '0') {
      bool zero = digits.find_first_not_of('0') == std::string::npos;
      if (zero) return int64_t{0};
      return invalid("value is too precise");
    }
    digits.pop_back();
    ++exp;
  }
  digits.append(static_cast<size_t>(exp), '0');
  size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (digits.size() > 19) return fail();
  int64_t v = std::stoll(digits);
  return m[1].str() == "-" ? -v : v;
}

std::string cpus_string(int64_t nanos) {
  // Three decimals, rounded half away from zero as big.Rat.FloatString does.
  int64_t milli = (nanos + (nanos >= 0 ? 500000 : -500000)) / 1000000;
  return fmt::format("{}{}.{:03}", milli < 0 ? "-" : "", std::abs(milli) / 1000,
                     std::abs(milli) % 1000);
}

bool is_cdi_device_name(std::string_view device) {
  // vendor/class=name, where vendor is a domain-ish name and class/name are identifiers.
  static const std::regex kCdi(R"(^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9_.-]*=[A-Za-z0-9_.:-]+$)");
  std::string s(device);
  return std::regex_match(s, kCdi);
}

Result<OrderedJson> parse_linux_device(std::string_view device) {
  // validateLinuxPath.
  std::string val(device);
  if (std::count(val.begin(), val.end(), ':') > 2) {
    return invalid(fmt::format("bad format for path: {}", val));
  }
  std::vector<std::string> split3;
  {
    size_t start = 0;
    for (int i = 0; i < 2; ++i) {
      size_t colon = val.find(':', start);
      if (colon == std::string::npos) break;
      split3.push_back(val.substr(start, colon - start));
      start = colon + 1;
    }
    split3.push_back(val.substr(start));
  }
  if (split3[0].empty()) return invalid(fmt::format("bad format for path: {}", val));
  std::string container_path;
  std::string validated;
  switch (split3.size()) {
    case 1:
      container_path = split3[0];
      validated = clean_path(container_path);
      break;
    case 2:
      if (valid_device_mode(split3[1])) {
        container_path = split3[0];
        validated = clean_path(container_path) + ":" + split3[1];
      } else {
        container_path = split3[1];
        validated = split3[0] + ":" + clean_path(container_path);
      }
      break;
    default:
      container_path = split3[1];
      if (!valid_device_mode(split3[2])) {
        return invalid(fmt::format("bad mode specified: {}", split3[2]));
      }
      validated = val;
  }
  if (container_path.empty() || container_path[0] != '/') {
    return invalid(fmt::format("{} is not an absolute path", container_path));
  }
  // parseLinuxDevice.
  std::vector<std::string> arr = split(validated, ':');
  std::string src = arr[0];
  std::string dst;
  std::string permissions = "rwm";
  if (arr.size() > 3) return invalid(fmt::format("invalid device specification: {}", validated));
  if (arr.size() == 3) permissions = arr[2];
  if (arr.size() >= 2) {
    if (valid_device_mode(arr[1])) {
      permissions = arr[1];
    } else {
      dst = arr[1];
    }
  }
  if (dst.empty()) dst = src;
  OrderedJson j = OrderedJson::object();
  j["PathOnHost"] = src;
  j["PathInContainer"] = dst;
  j["CgroupPermissions"] = permissions;
  return j;
}

}  // namespace berth::cli
