// Registry error responses as Errors. The distribution spec's body
//   {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":...}]}
// becomes "manifest unknown: manifest unknown" (the code lowercased, as docker prints it) with
// a canonical ErrorCode; without such a body the HTTP status decides.
#pragma once

#include <optional>
#include <string_view>

#include "base/error.h"

namespace berth::registry {

// The ErrorCode for a distribution-spec error code ("NAME_UNKNOWN"), or nullopt when unknown.
std::optional<ErrorCode> error_code_for_registry_code(std::string_view code);
// The ErrorCode for an HTTP status that is not a success.
ErrorCode error_code_for_status(int http_status);

Error registry_error(int http_status, std::string_view body);

// Whether an operation that failed with `error` may succeed if tried again: network errors and
// timeouts, 5xx (kUnavailable) and 429 (kResourceExhausted).
bool is_retryable(const Error& error);

}  // namespace berth::registry
