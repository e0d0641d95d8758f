// go-units' ParseUlimit: "nofile=1024:2048".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::cli {

struct Ulimit {
  std::string name;
  int64_t hard = 0;
  int64_t soft = 0;
};

Result<Ulimit> parse_ulimit(std::string_view value);
// Ulimit.String(): "nofile=1024:2048".
std::string ulimit_string(const Ulimit& u);

}  // namespace berth::cli
