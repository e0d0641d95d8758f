#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/result.h"

namespace berth {

// "2024-01-02T03:04:05.123456789Z", as Go's time.RFC3339Nano prints UTC times
// (trailing zeros of the fraction dropped, no fraction when zero).
std::string format_rfc3339_nano(std::chrono::system_clock::time_point t);
std::string format_rfc3339_nano_ns(int64_t unix_nanos);

// Parses RFC 3339 timestamps with optional fraction and Z or +hh:mm offsets; returns Unix nanos.
Result<int64_t> parse_rfc3339_ns(std::string_view text);

int64_t unix_nanos_now();

}  // namespace berth
