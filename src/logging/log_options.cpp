#include "logging/log_options.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

#include "base/strings.h"

namespace berth::logging {
namespace {

constexpr int64_t kLocalDefaultMaxSize = int64_t{20} * 1024 * 1024;
constexpr int kLocalDefaultMaxFiles = 5;

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// strconv.Atoi, with Go's error text.
Result<int> go_atoi(std::string_view s) {
  std::string text(s);
  bool digits = !text.empty();
  for (size_t i = 0; i < text.size(); ++i) {
    bool sign = i == 0 && (text[i] == '+' || text[i] == '-') && text.size() > 1;
    if (!sign && (text[i] < '0' || text[i] > '9')) digits = false;
  }
  if (!digits) return invalid(fmt::format("strconv.Atoi: parsing \"{}\": invalid syntax", s));
  errno = 0;
  long long v = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
    return invalid(fmt::format("strconv.Atoi: parsing \"{}\": value out of range", s));
  return static_cast<int>(v);
}

// strconv.ParseBool.
Result<bool> go_parse_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False")
    return false;
  return invalid(fmt::format("strconv.ParseBool: parsing \"{}\": invalid syntax", s));
}

bool one_of(std::string_view key, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys)
    if (k == key) return true;
  return false;
}

// Options every driver takes, checked by Docker before the driver sees the rest.
constexpr std::string_view kModeKey = "mode";
constexpr std::string_view kMaxBufferSizeKey = "max-buffer-size";

}  // namespace

Result<LogDriver> parse_log_driver(std::string_view name) {
  if (name == "json-file") return LogDriver::kJsonFile;
  if (name == "local") return LogDriver::kLocal;
  if (name == "none") return LogDriver::kNone;
  return invalid(fmt::format("logger: no log driver named '{}' is registered", name));
}

std::string_view log_driver_name(LogDriver driver) {
  switch (driver) {
    case LogDriver::kJsonFile: return "json-file";
    case LogDriver::kLocal: return "local";
    case LogDriver::kNone: return "none";
  }
  return "none";
}

Status validate_log_options(std::string_view driver_name, const LogOptions& options) {
  if (driver_name == "none") return ok_status();
  auto mode = options.find(std::string(kModeKey));
  std::string_view mode_value = mode == options.end() ? "" : std::string_view(mode->second);
  if (!mode_value.empty() && mode_value != "blocking" && mode_value != "non-blocking")
    return invalid(fmt::format("logger: logging mode not supported: {}", mode_value));
  if (auto it = options.find(std::string(kMaxBufferSizeKey)); it != options.end()) {
    if (mode_value != "non-blocking")
      return invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
    auto size = parse_ram_bytes(it->second);
    if (!size.ok())
      return invalid("error parsing option max-buffer-size: " + size.error().message());
  }
  LogDriver driver = TRY(parse_log_driver(driver_name));
  for (const auto& [key, value] : options) {
    if (key == kModeKey || key == kMaxBufferSizeKey) continue;
    bool common = one_of(key, {"max-file", "max-size", "compress", "labels", "labels-regex", "env",
                               "env-regex", "tag"});
    if (common) continue;
    if (driver == LogDriver::kJsonFile)
      return invalid(fmt::format("unknown log opt '{}' for json-file log driver", key));
    return invalid(fmt::format("unknown log opt '{}' for log driver local", key));
  }
  return ok_status();
}

Result<int64_t> parse_human_size(std::string_view text) {
  size_t sep = text.find_last_of("01234567890. ");
  if (sep == std::string_view::npos) return invalid(fmt::format("invalid size: '{}'", text));
  std::string num(text.substr(0, text[sep] == ' ' ? sep : sep + 1));
  std::string sfx(text.substr(sep + 1));
  // strconv.ParseFloat's decimal forms; hex floats, infinities and NaN are not sizes.
  char* end = nullptr;
  bool odd = num.find_first_of("xXnNiI") != std::string::npos;
  errno = 0;
  double size = num.empty() || odd ? 0 : std::strtod(num.c_str(), &end);
  if (num.empty() || odd || end != num.c_str() + num.size() || errno == ERANGE)
    return invalid(fmt::format("strconv.ParseFloat: parsing \"{}\": invalid syntax", num));
  if (size < 0) return invalid(fmt::format("invalid size: '{}'", text));
  if (sfx.empty()) return static_cast<int64_t>(size);
  auto bad_suffix = [](std::string_view s) {
    return invalid(fmt::format("invalid suffix: '{}'", s));
  };
  if (sfx.size() > 3) return bad_suffix(sfx);
  sfx = to_lower(sfx);
  if (sfx[0] == 'b') {
    if (sfx.size() > 1) return bad_suffix(sfx);
    return static_cast<int64_t>(size);
  }
  double mult = 0;
  switch (sfx[0]) {
    case 'k': mult = 1e3; break;
    case 'm': mult = 1e6; break;
    case 'g': mult = 1e9; break;
    case 't': mult = 1e12; break;
    case 'p': mult = 1e15; break;
    default: return bad_suffix(sfx);
  }
  if ((sfx.size() == 2 && sfx[1] != 'b') || (sfx.size() == 3 && sfx.substr(1) != "ib"))
    return bad_suffix(sfx);
  return static_cast<int64_t>(size * mult);
}

Result<LogFileConfig> parse_log_file_config(LogDriver driver, const LogOptions& options) {
  LogFileConfig cfg;
  if (driver == LogDriver::kNone) return cfg;
  bool local = driver == LogDriver::kLocal;
  if (local) {
    cfg.max_size = kLocalDefaultMaxSize;
    cfg.max_files = kLocalDefaultMaxFiles;
    cfg.compress = true;
  }
  if (auto it = options.find("max-size"); it != options.end()) {
    auto size = parse_human_size(it->second);
    if (!size.ok())
      return invalid(
          fmt::format("invalid value for max-size: {}: {}", it->second, size.error().message()));
    cfg.max_size = *size;
    if (local) {
      // Docker's local driver would rotate before every message with 0; no limit is the
      // useful reading.
      if (cfg.max_size == 0) cfg.max_size = -1;
    } else if (cfg.max_size <= 0) {
      return invalid("max-size must be a positive number");
    }
  }
  if (auto it = options.find("max-file"); it != options.end()) {
    auto files = go_atoi(it->second);
    if (!files.ok())
      return invalid(
          fmt::format("invalid value for max-file: {}: {}", it->second, files.error().message()));
    cfg.max_files = *files;
    if (local && cfg.max_files < 0) return invalid("max-file must not be negative");
    if (!local && cfg.max_files < 1) return invalid("max-file cannot be less than 1");
  }
  if (auto it = options.find("compress"); it != options.end()) {
    auto compress = go_parse_bool(it->second);
    if (!compress.ok())
      return invalid("invalid boolean value for compress: " + compress.error().message());
    cfg.compress = *compress;
    if (!local && cfg.compress && (cfg.max_files == 1 || cfg.max_size == -1))
      return invalid("compress cannot be true when max-file is less than 2 or max-size is not set");
  }
  if (local && cfg.compress && cfg.max_files <= 1)
    return invalid("compression cannot be enabled when max file count is 1");
  if (cfg.max_files < 1) cfg.max_files = 1;
  return cfg;
}

}  // namespace berth::logging
