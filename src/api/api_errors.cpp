#include "api/api_errors.h"

#include "daemon/container_service.h"

namespace berth::api {

int http_status(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists:
      return error.message() == daemon::kNotModified ? 304 : 409;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kUnimplemented: return 501;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kResourceExhausted: return 413;
    case ErrorCode::kCancelled: return 499;
    default: return 500;
  }
}

void send_error(http::ResponseWriter& writer, const Error& error) {
  int status = http_status(error);
  if (writer.responded()) return;
  if (status == 304) {
    (void)writer.send_status(304);
    return;
  }
  (void)writer.send_error(status, error.to_string());
}

}  // namespace berth::api
