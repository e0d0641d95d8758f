// Private: HTTP/1.1 heads and chunk framing as bytes. Header fields that could split the
// message (CR/LF in a value, a bad name) are dropped, never sent.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "http/headers.h"

namespace berth::http::detail {

inline constexpr std::string_view kLastChunk = "0\r\n\r\n";
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool valid_header_name(std::string_view name);
bool valid_header_value(std::string_view value);

// "HTTP/1.1 200 OK\r\n" + fields + "\r\n".
std::string response_head(int status, std::string_view reason, const Headers& headers);
// "GET /x HTTP/1.1\r\n" + fields + "\r\n".
std::string request_head(std::string_view method, std::string_view target, const Headers& headers);
// One chunk of a chunked body: size in hex, CRLF, data, CRLF. `data` must not be empty.
std::string chunk_frame(std::string_view data);
// IMF-fixdate, as in the Date header: "Mon, 02 Jan 2006 15:04:05 GMT".
std::string http_date(std::chrono::system_clock::time_point when);

}  // namespace berth::http::detail
