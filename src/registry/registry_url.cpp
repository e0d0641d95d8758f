#include "registry/registry_url.h"

#include <algorithm>
#include <memory>

#include <curl/curl.h>

#include "base/strings.h"
#include "store/digest.h"

namespace berth::registry {
namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

Result<std::string> get_part(CURLU* u, CURLUPart part, unsigned flags) {
  char* out = nullptr;
  CURLUcode rc = curl_url_get(u, part, &out, flags);
  if (rc != CURLUE_OK) return make_error(ErrorCode::kInvalidArgument, "{}", curl_url_strerror(rc));
  std::string s(out);
  curl_free(out);
  return s;
}

}  // namespace

std::string normalize_registry(std::string_view registry) {
  std::string r = to_lower(registry);
  if (r == "index.docker.io" || r == "registry-1.docker.io" || r == "registry.hub.docker.com")
    return "docker.io";
  return r;
}

std::string api_host(std::string_view registry) {
  std::string r = normalize_registry(registry);
  return r == "docker.io" ? "registry-1.docker.io" : r;
}

Status validate_repository_path(std::string_view path) {
  auto bad = [&](std::string_view why) {
    return make_error(ErrorCode::kInvalidArgument, "invalid repository name \"{}\": {}", path, why);
  };
  if (path.empty()) return bad("empty");
  if (path.size() > 255) return bad("longer than 255 characters");
  for (const auto& component : split(path, '/')) {
    if (component.empty()) return bad("empty path component");
    if (!is_lower_alnum(component.front()) || !is_lower_alnum(component.back()))
      return bad("components must start and end with a lowercase letter or digit");
    for (char c : component) {
      if (!is_lower_alnum(c) && c != '.' && c != '_' && c != '-')
        return bad("only lowercase letters, digits, '.', '_' and '-' are allowed");
    }
    if (component.find("..") != std::string::npos) return bad("\"..\" is not allowed");
  }
  return {};
}

Status validate_reference(std::string_view reference) {
  if (reference.find(':') != std::string_view::npos) {
    auto d = store::Digest::parse(reference);
    if (!d.ok()) return std::move(d).error().context("invalid reference");
    return {};
  }
  bool ok = !reference.empty() && reference.size() <= 128 &&
            (is_alnum(reference.front()) || reference.front() == '_');
  for (char c : reference) ok = ok && (is_alnum(c) || c == '_' || c == '.' || c == '-');
  if (!ok) return make_error(ErrorCode::kInvalidArgument, "invalid tag \"{}\"", reference);
  return {};
}

std::string manifest_path(std::string_view repo, std::string_view reference) {
  return fmt::format("/v2/{}/manifests/{}", repo, reference);
}
std::string blob_path(std::string_view repo, std::string_view digest) {
  return fmt::format("/v2/{}/blobs/{}", repo, digest);
}
std::string upload_path(std::string_view repo) {
  return fmt::format("/v2/{}/blobs/uploads/", repo);
}
std::string tags_path(std::string_view repo) {
  return fmt::format("/v2/{}/tags/list", repo);
}

std::string query_escape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string append_query(std::string url, std::string_view key, std::string_view value) {
  size_t fragment = url.find('#');
  if (fragment != std::string::npos) url.resize(fragment);
  if (url.find('?') == std::string::npos) {
    url += '?';
  } else if (url.back() != '?' && url.back() != '&') {
    url += '&';
  }
  url += query_escape(key);
  url += '=';
  url += query_escape(value);
  return url;
}

Result<UrlParts> parse_url(std::string_view url) {
  UrlHandle u(curl_url());
  std::string text(url);
  CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0);
  if (rc != CURLUE_OK)
    return make_error(ErrorCode::kInvalidArgument, "invalid URL \"{}\": {}", url,
                      curl_url_strerror(rc));
  UrlParts parts;
  parts.scheme = to_lower(TRY(get_part(u.get(), CURLUPART_SCHEME, 0)));
  std::string host = to_lower(TRY(get_part(u.get(), CURLUPART_HOST, 0)));
  auto port = get_part(u.get(), CURLUPART_PORT, 0);
  parts.host = port.ok() ? host + ":" + *port : host;
  std::string effective_port = TRY(get_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT));
  parts.origin = parts.scheme + "://" + host + ":" + effective_port;
  return parts;
}

Result<std::string> resolve_url(std::string_view base, std::string_view reference) {
  UrlHandle u(curl_url());
  std::string b(base);
  std::string r(trim(reference));
  CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, b.c_str(), 0);
  if (rc == CURLUE_OK) rc = curl_url_set(u.get(), CURLUPART_URL, r.c_str(), 0);
  if (rc != CURLUE_OK)
    return make_error(ErrorCode::kInvalidArgument, "cannot resolve \"{}\" against \"{}\": {}", r, b,
                      curl_url_strerror(rc));
  return get_part(u.get(), CURLUPART_URL, 0);
}

std::optional<std::string> link_next(std::string_view header) {
  // Several links may be comma-separated; each is "<url>; param; param".
  size_t pos = 0;
  while (pos < header.size()) {
    size_t open = header.find('<', pos);
    if (open == std::string_view::npos) return std::nullopt;
    size_t close = header.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view target = header.substr(open + 1, close - open - 1);
    size_t next = header.find('<', close);
    std::string params = to_lower(header.substr(
        close + 1, next == std::string_view::npos ? std::string_view::npos : next - close - 1));
    params.erase(std::remove(params.begin(), params.end(), ' '), params.end());
    if (params.find("rel=\"next\"") != std::string::npos ||
        params.find("rel=next") != std::string::npos)
      return std::string(target);
    pos = close + 1;
  }
  return std::nullopt;
}

}  // namespace berth::registry
