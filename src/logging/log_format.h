// What `docker logs` prints for one message (the daemon's logstream.Write): with --timestamps
// the time as RFC 3339 with exactly nine fraction digits and a space, with --details the
// attributes as url-query-escaped k=v pairs sorted by key, joined by ',', and a space (the space
// even when there are none), then the line.
#pragma once

#include <cstdint>
#include <string>

#include "logging/log_message.h"

namespace berth::logging {

std::string format_docker_log_line(const LogMessage& msg, bool timestamps, bool details);

// "2024-01-02T03:04:05.120000000Z": Go's RFC3339NanoFixed layout, in UTC.
std::string format_rfc3339_nano_fixed(int64_t unix_nanos);

}  // namespace berth::logging
