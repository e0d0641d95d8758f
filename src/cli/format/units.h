// docker's go-units and display helpers: sizes ("4.26MB", "1.2GB"), durations ("About a minute"),
// Go's time.Time.String(), id truncation and Ellipsis.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::cli {

// units.HumanSizeWithPrecision: decimal units (B, kB, MB, GB...), %.<precision>g.
std::string human_size(double size, int precision = 4);
// units.BytesSize: binary units (B, KiB, MiB...), %.4g.
std::string bytes_size(double size);
// units.HumanDuration of `seconds` (and nanos for the sub-second case).
std::string human_duration_ns(int64_t nanos);
// units.RAMInBytes (binary suffixes) and FromHumanSize (decimal), with go-units' errors:
// "invalid size: 'x'", "invalid suffix: 'q'".
Result<int64_t> ram_in_bytes(std::string_view text);
Result<int64_t> from_human_size(std::string_view text);

// Go's time.Unix(sec, 0).String() in the local zone: "2024-01-02 03:04:05 +0100 CET".
std::string go_time_string(int64_t unix_seconds);
// Go's Time.String() of an RFC 3339 timestamp as the API sends it ("2024-01-02T03:04:05.5Z" →
// "2024-01-02 03:04:05.5 +0000 UTC"); the text itself when it does not parse.
std::string go_time_string_rfc3339(const std::string& text);
// "3 minutes ago" for a Unix time, relative to now (docker's RunningFor/CreatedSince).
std::string time_ago(int64_t unix_seconds);
// Seconds since the epoch now (injectable for tests through set_now_for_test).
int64_t now_unix_nanos();
void set_now_for_test(int64_t unix_nanos);

// stringid.TruncateID: drops an "algo:" prefix, keeps 12 characters.
std::string truncate_id(std::string_view id);
// formatter.Ellipsis: fits `s` into `width` display columns with a trailing "…".
std::string ellipsis(std::string_view s, int width);
// strconv.Quote.
std::string go_quote(std::string_view s);

// reference.FamiliarString of a normalised name: "docker.io/library/busybox:1" → "busybox:1".
std::string familiar_name(std::string_view ref);

}  // namespace berth::cli
