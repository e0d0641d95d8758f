#include "client/api_error.h"

#include <fmt/format.h>

#include "base/json.h"
#include "base/strings.h"
#include "http/status_text.h"

namespace berth::client {
namespace {
constexpr std::string_view kPrefix = "Error response from daemon: ";
}

ErrorCode code_for_status(int status) {
  switch (status) {
    case 400: return ErrorCode::kInvalidArgument;
    case 401:
    case 403: return ErrorCode::kPermissionDenied;
    case 404: return ErrorCode::kNotFound;
    case 409: return ErrorCode::kConflict;
    case 408:
    case 504: return ErrorCode::kDeadlineExceeded;
    case 412: return ErrorCode::kFailedPrecondition;
    case 501: return ErrorCode::kUnimplemented;
    case 503: return ErrorCode::kUnavailable;
    case 500: return ErrorCode::kInternal;
    default: return status >= 500 ? ErrorCode::kInternal : ErrorCode::kUnknown;
  }
}

int status_for_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kDeadlineExceeded: return 504;
    case ErrorCode::kFailedPrecondition: return 412;
    case ErrorCode::kUnimplemented: return 501;
    case ErrorCode::kUnavailable: return 503;
    default: return 500;
  }
}

Error api_error(int status, std::string_view body, std::string_view route) {
  std::string message;
  if (trim(body).empty()) {
    // docker's wording for an empty error body.
    message = fmt::format(
        "request returned {} for API route and version {}, check if the server supports the "
        "requested API version",
        http::reason_phrase(status), route);
  } else {
    auto parsed = parse_json(body, "error body");
    if (parsed.ok() && parsed->is_object() && parsed->contains("message") &&
        (*parsed)["message"].is_string()) {
      message = (*parsed)["message"].get<std::string>();
    } else {
      message = std::string(trim(body));
    }
  }
  return Error(code_for_status(status), std::string(kPrefix) + message);
}

std::string_view daemon_message(const Error& e) {
  std::string_view m = e.message();
  if (m.starts_with(kPrefix)) m.remove_prefix(kPrefix.size());
  return m;
}

}  // namespace berth::client
