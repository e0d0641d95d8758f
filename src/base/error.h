// Error values: a canonical code, the errno that caused it (if any), and a message
// that grows a context chain as it travels up ("create container x: mount /proc: EBUSY").
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace berth {

// Canonical codes, in the spirit of abseil's StatusCode. Only api/ maps them to HTTP.
enum class ErrorCode {
  kUnknown,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // the object is in the wrong state for this operation
  kPermissionDenied,
  kUnavailable,
  kInternal,
  kUnimplemented,
  kConflict,
  kCancelled,
  kDeadlineExceeded,
  kResourceExhausted,
  kDataLoss,
};

std::string_view error_code_name(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message, int sys_errno = 0)
      : code_(code), sys_errno_(sys_errno), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  // The errno behind this error, 0 when it did not come from a system call.
  int sys_errno() const { return sys_errno_; }
  // The message with its context chain, without the errno text.
  const std::string& message() const { return message_; }

  // Prepends "context: " to the message; returns *this for chaining.
  Error& with_context(std::string_view context);
  Error&& context(std::string_view ctx) && { return std::move(with_context(ctx)); }

  // The full human-readable text: message plus ": strerror(errno)" when errno is set.
  std::string to_string() const;

 private:
  ErrorCode code_;
  int sys_errno_;
  std::string message_;
};

// The code that best describes an errno (ENOENT -> kNotFound, EEXIST -> kAlreadyExists, ...).
ErrorCode code_from_errno(int err);

// An error from a failed system call: captures errno now.
Error errno_error(std::string message);
Error errno_error(int err, std::string message);

template <typename... Args>
Error make_error(ErrorCode code, fmt::format_string<Args...> format, Args&&... args) {
  return Error(code, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace berth
