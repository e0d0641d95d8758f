// RLIMIT_* names as config.json spells them.
#pragma once

#include <string>

#include "base/result.h"

namespace berth::runtime {

Result<int> rlimit_from_name(const std::string& name);

}  // namespace berth::runtime
