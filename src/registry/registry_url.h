// URLs of the distribution API (spec.md "Endpoints") and the bits of URL handling the client
// needs: resolving Location headers, comparing origins, following Link headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::registry {

// The host that serves a registry's API: docker.io and index.docker.io are served by
// registry-1.docker.io; every other name is its own host.
std::string api_host(std::string_view registry);
// "docker.io" for any of Docker Hub's names, else the name lowercased.
std::string normalize_registry(std::string_view registry);

// Repository names (spec.md: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/...)*) and references (a tag
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127} or a digest) are checked before they go into a URL path.
Status validate_repository_path(std::string_view path);
Status validate_reference(std::string_view reference);

std::string manifest_path(std::string_view repo, std::string_view reference);
std::string blob_path(std::string_view repo, std::string_view digest);
std::string upload_path(std::string_view repo);
std::string tags_path(std::string_view repo);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string query_escape(std::string_view value);
// Adds "key=value" (value escaped) with '?' or '&' as the URL needs.
std::string append_query(std::string url, std::string_view key, std::string_view value);

struct UrlParts {
  std::string scheme;  // "https"
  std::string host;    // "registry.example:5000" (port only when given), IPv6 in brackets
  std::string origin;  // "https://registry.example:443": scheme, host and effective port
};
Result<UrlParts> parse_url(std::string_view url);
// Resolves `reference` (absolute, or relative like "/v2/x/blobs/uploads/uuid?_state=...")
// against `base`.
Result<std::string> resolve_url(std::string_view base, std::string_view reference);

// The target of rel="next" in a Link header: `</v2/x/tags/list?n=2&last=b>; rel="next"`.
std::optional<std::string> link_next(std::string_view link_header);

}  // namespace berth::registry
