#include "cli/opts/ulimit.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "template/go_quote.h"

namespace berth::cli {

Result<Ulimit> parse_ulimit(std::string_view value) {
  static const char* kNames[] = {"core",   "cpu",    "data",   "fsize",      "locks",
                                 "memlock", "msgqueue", "nice", "nofile",     "nproc",
                                 "rss",    "rtprio", "rttime", "sigpending", "stack"};
  auto invalid = [](std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); };
  bool ok = false;
  auto [name, limits] = split_once(value, '=', &ok);
  if (!ok) return invalid(fmt::format("invalid ulimit argument: {}", value));
  bool known = false;
  for (const char* n : kNames) known = known || name == n;
  if (!known) return invalid(fmt::format("invalid ulimit type: {}", name));
  auto parse = [&](std::string_view s) -> Result<int64_t> {
    auto v = parse_int64(s);
    bool syntax = !s.empty();
    for (size_t i = 0; i < s.size(); ++i) {
      syntax = syntax && (std::isdigit(static_cast<unsigned char>(s[i])) || (i == 0 && (s[i] == '-' || s[i] == '+')));
    }
    if (!v.ok()) {
      return invalid(fmt::format("strconv.ParseInt: parsing {}: {}", tmpl::go_quote(s),
                                 syntax ? "value out of range" : "invalid syntax"));
    }
    return *v;
  };
  std::vector<std::string> vals = split(limits, ':');
  Ulimit u;
  u.name = std::string(name);
  if (vals.size() == 2) {
    u.hard = TRY(parse(vals[1]));
    u.soft = TRY(parse(vals[0]));
  } else if (vals.size() == 1) {
    u.soft = TRY(parse(vals[0]));
    u.hard = u.soft;
  } else {
    return invalid(fmt::format(
        "too many limit value arguments - {}, can only have up to two, `soft[:hard]`", limits));
  }
  if (u.hard != -1) {
    if (u.soft == -1) {
      return invalid(fmt::format(
          "ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: {}",
          u.hard));
    }
    if (u.soft > u.hard) {
      return invalid(fmt::format(
          "ulimit soft limit must be less than or equal to hard limit: {} > {}", u.soft, u.hard));
    }
  }
  return u;
}

std::string ulimit_string(const Ulimit& u) {
  return fmt::format("{}={}:{}", u.name, u.soft, u.hard);
}

}  // namespace berth::cli
