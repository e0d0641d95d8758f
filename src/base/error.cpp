#include "base/error.h"

#include <cerrno>
#include <cstring>

namespace berth {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnknown: return "unknown";
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kAlreadyExists: return "already exists";
    case ErrorCode::kFailedPrecondition: return "failed precondition";
    case ErrorCode::kPermissionDenied: return "permission denied";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kUnimplemented: return "unimplemented";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kDeadlineExceeded: return "deadline exceeded";
    case ErrorCode::kResourceExhausted: return "resource exhausted";
    case ErrorCode::kDataLoss: return "data loss";
  }
  return "unknown";
}

Error& Error::with_context(std::string_view context) {
  if (!context.empty()) {
    message_.insert(0, ": ");
    message_.insert(0, context);
  }
  return *this;
}

std::string Error::to_string() const {
  if (sys_errno_ == 0) return message_;
  return message_ + ": " + std::strerror(sys_errno_);
}

ErrorCode code_from_errno(int err) {
  switch (err) {
    case 0: return ErrorCode::kUnknown;
    case ENOENT:
    case ESRCH:
    case ENXIO:
    case ENODEV: return ErrorCode::kNotFound;
    case EEXIST: return ErrorCode::kAlreadyExists;
    case EPERM:
    case EACCES:
    case EROFS: return ErrorCode::kPermissionDenied;
    case EINVAL:
    case ENAMETOOLONG:
    case ENOTDIR:
    case EISDIR:
    case ELOOP:
    case EXDEV: return ErrorCode::kInvalidArgument;
    case EBUSY:
    case ENOTEMPTY: return ErrorCode::kFailedPrecondition;
    case ENOSPC:
    case ENOMEM:
    case EMFILE:
    case ENFILE:
    case EAGAIN:
    case EDQUOT: return ErrorCode::kResourceExhausted;
    case ETIMEDOUT: return ErrorCode::kDeadlineExceeded;
    case ENOSYS:
    case EOPNOTSUPP: return ErrorCode::kUnimplemented;
    case EINTR:
    case ECANCELED: return ErrorCode::kCancelled;
    case ECONNREFUSED:
    case ECONNRESET:
    case EPIPE: return ErrorCode::kUnavailable;
    default: return ErrorCode::kInternal;
  }
}

Error errno_error(std::string message) { return errno_error(errno, std::move(message)); }

Error errno_error(int err, std::string message) {
  return Error(code_from_errno(err), std::move(message), err);
}

}  // namespace berth
