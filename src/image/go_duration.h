// Go's time.ParseDuration, as Docker's image filters (until=) and HEALTHCHECK options take it.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace berth::image {

// "1h30m", "500ms", "1.5s", "-2m" (a sign is allowed only when `allow_sign`): nanoseconds.
Result<int64_t> parse_go_duration_ns(std::string_view text, bool allow_sign = true);

}  // namespace berth::image
