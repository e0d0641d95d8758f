// docker's timetypes.GetTimestamp: what the client sends for --since/--until. Durations are
// relative to now ("10m" → now-10m as Unix seconds), RFC 3339 dates and times (with or without
// zone) become "seconds.nanoseconds", Unix timestamps pass through.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::client {

Result<std::string> get_timestamp(std::string_view value, int64_t now_unix_nanos);

}  // namespace berth::client
