// Base64 (RFC 4648) for the credential file's "auth" field, HTTP basic auth and JWTs.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::registry {

// Standard alphabet, padded: what docker writes in config.json and basic auth uses.
std::string base64_encode(std::string_view data);
// URL-safe alphabet, unpadded (JWT's base64url).
std::string base64url_encode(std::string_view data);
// Decodes either alphabet, padded or not; whitespace is ignored. Anything else is
// kInvalidArgument.
Result<std::string> base64_decode(std::string_view text);

}  // namespace berth::registry
