#include "registry/registry_error.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

struct Case {
  int status;
  std::string body;
  ErrorCode code;
  std::string message;
};

TEST(RegistryErrorTest, Mapping) {
  const Case cases[] = {
      {404,
       R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest tagged by \"nope\" is not found","detail":{"Tag":"nope"}}]})",
       ErrorCode::kNotFound, "manifest unknown: manifest tagged by \"nope\" is not found"},
      {404, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})",
       ErrorCode::kNotFound, "manifest unknown: manifest unknown"},
      {404, R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]})",
       ErrorCode::kNotFound, "blob unknown: blob unknown to registry"},
      {404,
       R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]})",
       ErrorCode::kNotFound, "name unknown: repository name not known to registry"},
      {401,
       R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]})",
       ErrorCode::kPermissionDenied, "unauthorized: authentication required"},
      {403,
       R"({"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]})",
       ErrorCode::kPermissionDenied, "denied: requested access to the resource is denied"},
      {429,
       R"({"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]})",
       ErrorCode::kResourceExhausted, "toomanyrequests: You have reached your pull rate limit."},
      {400, R"({"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]})",
       ErrorCode::kInvalidArgument, "manifest invalid: manifest invalid"},
      {400, R"({"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry"}]})",
       ErrorCode::kFailedPrecondition, "manifest blob unknown: blob unknown to registry"},
      {400,
       R"({"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]})",
       ErrorCode::kInvalidArgument,
       "digest invalid: provided digest did not match uploaded content"},
      {405, R"({"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]})",
       ErrorCode::kUnimplemented, "unsupported: The operation is unsupported."},
      // Several errors; an unknown code falls back to the status.
      {500,
       R"({"errors":[{"code":"UNKNOWN","message":"unknown error"},{"code":"X_CUSTOM","message":"more"}]})",
       ErrorCode::kUnavailable, "unknown: unknown error; x custom: more"},
      // No body, or not the spec's: the status decides.
      {401, "", ErrorCode::kPermissionDenied, "unauthorized: authentication required"},
      {403, "<html>Forbidden</html>", ErrorCode::kPermissionDenied,
       "denied: requested access to the resource is denied"},
      {404, "", ErrorCode::kNotFound, "not found"},
      {429, "", ErrorCode::kResourceExhausted, "toomanyrequests: too many requests"},
      {502, "<html><body>Bad Gateway</body></html>", ErrorCode::kUnavailable,
       "received unexpected HTTP status: 502 Bad Gateway"},
      {503, "upstream connect error\nreset", ErrorCode::kUnavailable,
       "received unexpected HTTP status: 503 Service Unavailable: upstream connect error reset"},
      {418, "", ErrorCode::kUnknown, "received unexpected HTTP status: 418"},
      {400, R"({"errors":[]})", ErrorCode::kInvalidArgument, "bad request: {\"errors\":[]}"},
      {416, "", ErrorCode::kFailedPrecondition, "requested range not satisfiable"},
  };
  for (const auto& c : cases) {
    Error e = registry_error(c.status, c.body);
    EXPECT_EQ(e.code(), c.code) << c.status << " " << c.body;
    EXPECT_EQ(e.message(), c.message) << c.status << " " << c.body;
  }
}

TEST(RegistryErrorTest, Retryable) {
  EXPECT_TRUE(is_retryable(registry_error(500, "")));
  EXPECT_TRUE(is_retryable(registry_error(503, "")));
  EXPECT_TRUE(is_retryable(registry_error(429, "")));
  EXPECT_TRUE(is_retryable(Error(ErrorCode::kUnavailable, "connection refused")));
  EXPECT_TRUE(is_retryable(Error(ErrorCode::kDeadlineExceeded, "timeout")));
  EXPECT_FALSE(is_retryable(registry_error(404, "")));
  EXPECT_FALSE(is_retryable(registry_error(401, "")));
  EXPECT_FALSE(is_retryable(registry_error(400, "")));
  EXPECT_FALSE(is_retryable(Error(ErrorCode::kDataLoss, "digest mismatch")));
  EXPECT_FALSE(is_retryable(Error(ErrorCode::kFailedPrecondition, "certificate")));
}

}  // namespace
}  // namespace berth::registry
