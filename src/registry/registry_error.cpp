#include "registry/registry_error.h"

#include <optional>
#include <string>

#include "base/json.h"
#include "base/strings.h"

namespace berth::registry {
namespace {

struct CodeMapping {
  std::string_view code;
  ErrorCode error_code;
};

// The distribution spec's codes plus the extensions docker's registry and Docker Hub send.
constexpr CodeMapping kCodes[] = {
    {"BLOB_UNKNOWN", ErrorCode::kNotFound},
    {"BLOB_UPLOAD_INVALID", ErrorCode::kInvalidArgument},
    {"BLOB_UPLOAD_UNKNOWN", ErrorCode::kNotFound},
    {"DIGEST_INVALID", ErrorCode::kInvalidArgument},
    {"MANIFEST_BLOB_UNKNOWN", ErrorCode::kFailedPrecondition},
    {"MANIFEST_INVALID", ErrorCode::kInvalidArgument},
    {"MANIFEST_UNKNOWN", ErrorCode::kNotFound},
    {"MANIFEST_UNVERIFIED", ErrorCode::kInvalidArgument},
    {"NAME_INVALID", ErrorCode::kInvalidArgument},
    {"NAME_UNKNOWN", ErrorCode::kNotFound},
    {"SIZE_INVALID", ErrorCode::kInvalidArgument},
    {"TAG_INVALID", ErrorCode::kInvalidArgument},
    {"UNAUTHORIZED", ErrorCode::kPermissionDenied},
    {"DENIED", ErrorCode::kPermissionDenied},
    {"UNSUPPORTED", ErrorCode::kUnimplemented},
    {"TOOMANYREQUESTS", ErrorCode::kResourceExhausted},
    {"UNAVAILABLE", ErrorCode::kUnavailable},
    {"PAGINATION_NUMBER_INVALID", ErrorCode::kInvalidArgument},
    {"RANGE_INVALID", ErrorCode::kFailedPrecondition},
};

// What docker prints for a bare status (no error body).
std::string status_message(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "unauthorized: authentication required";
    case 403: return "denied: requested access to the resource is denied";
    case 404: return "not found";
    case 405: return "unsupported: method not allowed";
    case 409: return "conflict";
    case 413: return "request entity too large";
    case 416: return "requested range not satisfiable";
    case 429: return "toomanyrequests: too many requests";
    case 500: return "received unexpected HTTP status: 500 Internal Server Error";
    case 502: return "received unexpected HTTP status: 502 Bad Gateway";
    case 503: return "received unexpected HTTP status: 503 Service Unavailable";
    case 504: return "received unexpected HTTP status: 504 Gateway Timeout";
    default: return "received unexpected HTTP status: " + std::to_string(status);
  }
}

// "MANIFEST_UNKNOWN" -> "manifest unknown", as docker's errcode package prints codes.
std::string code_text(std::string_view code) {
  std::string out = to_lower(code);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

// A short, printable excerpt of a body that is not the spec's JSON (an HTML error page, text).
std::string excerpt(std::string_view body) {
  body = trim(body);
  if (body.empty() || body.front() == '<') return {};  // HTML pages add nothing readable
  std::string out;
  for (char c : body.substr(0, 200)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (body.size() > 200) out += "...";
  return out;
}

std::optional<Error> error_from_body(int status, std::string_view body) {
  auto json = parse_json(body, "error body");
  if (!json.ok() || !json->is_object()) return std::nullopt;
  auto errors = json->find("errors");
  if (errors == json->end() || !errors->is_array() || errors->empty()) return std::nullopt;
  std::vector<std::string> texts;
  std::optional<ErrorCode> code;
  for (const auto& e : *errors) {
    if (!e.is_object()) continue;
    std::string c = e.value("code", std::string());
    std::string message = e.contains("message") && e["message"].is_string()
                              ? e["message"].get<std::string>()
                              : std::string();
    if (!code) code = error_code_for_registry_code(c);
    std::string text = c.empty() ? message : code_text(c);
    if (!c.empty() && !message.empty()) text += ": " + message;
    if (!text.empty()) texts.push_back(std::move(text));
  }
  if (texts.empty()) return std::nullopt;
  return Error(code.value_or(error_code_for_status(status)), join(texts, "; "));
}

}  // namespace

std::optional<ErrorCode> error_code_for_registry_code(std::string_view code) {
  for (const auto& m : kCodes) {
    if (m.code == code) return m.error_code;
  }
  return std::nullopt;
}

ErrorCode error_code_for_status(int status) {
  switch (status) {
    case 400: return ErrorCode::kInvalidArgument;
    case 401:
    case 403: return ErrorCode::kPermissionDenied;
    case 404: return ErrorCode::kNotFound;
    case 405:
    case 501: return ErrorCode::kUnimplemented;
    case 408: return ErrorCode::kDeadlineExceeded;
    case 409: return ErrorCode::kConflict;
    case 412:
    case 416: return ErrorCode::kFailedPrecondition;
    case 413:
    case 429: return ErrorCode::kResourceExhausted;
    default: break;
  }
  if (status >= 500) return ErrorCode::kUnavailable;
  return ErrorCode::kUnknown;
}

Error registry_error(int status, std::string_view body) {
  if (auto e = error_from_body(status, body)) return std::move(*e);
  std::string message = status_message(status);
  if (status != 401 && status != 403) {
    std::string extra = excerpt(body);
    if (!extra.empty()) message += ": " + extra;
  }
  return Error(error_code_for_status(status), std::move(message));
}

bool is_retryable(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kUnavailable:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kDeadlineExceeded: return true;
    default: return false;
  }
}

}  // namespace berth::registry
