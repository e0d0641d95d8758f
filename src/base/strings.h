// String helpers the standard library lacks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth {

std::vector<std::string> split(std::string_view s, char sep);
// Splits at the first `sep`; the second part is empty (and found=false) when absent.
std::pair<std::string_view, std::string_view> split_once(std::string_view s, char sep,
                                                         bool* found = nullptr);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

Result<int64_t> parse_int64(std::string_view s);
Result<uint64_t> parse_uint64(std::string_view s);
Result<int> parse_int(std::string_view s);

// "1k" / "512m" / "2g" / "100" (bytes) as Docker's units.RAMInBytes parses them (binary units).
Result<int64_t> parse_ram_bytes(std::string_view s);
// "1.5" CPUs to nanoCPUs as `--cpus` does.
Result<int64_t> parse_nano_cpus(std::string_view s);

}  // namespace berth
