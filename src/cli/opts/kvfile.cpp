#include "cli/opts/kvfile.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "template/utf8.h"

namespace berth::cli {

Result<std::vector<std::string>> parse_kv_file(const std::string& path,
                                               const client::EnvLookup* lookup) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string reason = std::strerror(errno);
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
    return make_error(ErrorCode::kNotFound, "open {}: {}", path, reason);
  }
  std::vector<std::string> out;
  std::string raw;
  int line_no = 0;
  auto fail = [&](std::string why) {
    return make_error(ErrorCode::kInvalidArgument, "invalid env file ({}): {}", path, why);
  };
  while (std::getline(in, raw)) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (!tmpl::valid_utf8(raw)) return fail(fmt::format("invalid utf8 bytes at line {}", line_no));
    if (line_no == 1 && raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
    size_t start = raw.find_first_not_of(" \t\n\v\f\r");
    std::string line = start == std::string::npos ? "" : raw.substr(start);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    std::string key = line.substr(0, eq);
    if (key.empty()) return fail(fmt::format("no variable name on line '{}'", line));
    if (key.find_first_of(" \t") != std::string::npos) {
      return fail(fmt::format("variable '{}' contains whitespaces", key));
    }
    if (eq != std::string::npos) {
      out.push_back(line);
      continue;
    }
    if (lookup != nullptr) {
      if (auto v = (*lookup)(line)) out.push_back(key + "=" + *v);
    }
  }
  return out;
}

Result<std::vector<std::string>> read_kv_strings(const std::vector<std::string>& files,
                                                 const std::vector<std::string>& overrides,
                                                 const client::EnvLookup* lookup) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    auto vars = TRY(parse_kv_file(f, lookup));
    out.insert(out.end(), vars.begin(), vars.end());
  }
  out.insert(out.end(), overrides.begin(), overrides.end());
  return out;
}

}  // namespace berth::cli
