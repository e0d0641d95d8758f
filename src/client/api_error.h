// Daemon errors as the docker client reports them: "Error response from daemon: <message>",
// with the HTTP status kept as the error's code so callers can tell "not found" from "conflict".
#pragma once

#include <string_view>

#include "base/error.h"

namespace berth::client {

// The error for a response with status >= 400 and body `body` (dockerd's {"message": ...}, or
// plain text from something that is not dockerd).
Error api_error(int status, std::string_view body, std::string_view route = {});

// The canonical code for an HTTP status, and back (the status the daemon most likely sent).
ErrorCode code_for_status(int status);
int status_for_code(ErrorCode code);

// True for errors that mean "no such object" (404).
inline bool is_not_found(const Error& e) { return e.code() == ErrorCode::kNotFound; }

// The daemon's message without the "Error response from daemon: " prefix.
std::string_view daemon_message(const Error& e);

}  // namespace berth::client
