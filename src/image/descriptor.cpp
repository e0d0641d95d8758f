#include "image/descriptor.h"

#include "image/json_read.h"

namespace berth::image {

namespace {

// RFC 6838's restricted-name, loosely: type "/" subtype, no spaces.
bool plausible_media_type(std::string_view t) {
  size_t slash = t.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == t.size()) return false;
  for (char c : t) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<Platform> parse_platform_json(const Json& j, std::string_view path) {
  if (!j.is_object()) return json::type_error(path, "an object", j);
  Platform p;
  p.architecture = TRY(json::string_or_empty(j, "architecture", path));
  p.os = TRY(json::string_or_empty(j, "os", path));
  p.variant = TRY(json::string_or_empty(j, "variant", path));
  p.os_version = TRY(json::string_or_empty(j, "os.version", path));
  p.os_features =
      TRY(json::opt_strings(j, "os.features", path)).value_or(std::vector<std::string>{});
  return p;
}

Result<Descriptor> parse_descriptor(const Json& j, std::string_view path) {
  if (!j.is_object()) return json::type_error(path, "an object", j);
  Descriptor d;
  auto media_type = TRY(json::opt_string(j, "mediaType", path));
  if (!media_type || !plausible_media_type(*media_type)) {
    return make_error(ErrorCode::kInvalidArgument, "{}: invalid or missing mediaType",
                      json::member(path, "mediaType"));
  }
  d.media_type = *media_type;
  auto digest = TRY(json::opt_string(j, "digest", path));
  if (!digest) {
    return make_error(ErrorCode::kInvalidArgument, "{}: missing", json::member(path, "digest"));
  }
  d.digest = TRY_CTX(store::Digest::parse(*digest), json::member(path, "digest"));
  auto size = TRY(json::opt_int(j, "size", path));
  if (!size || *size < 0) {
    return make_error(ErrorCode::kInvalidArgument, "{}: missing or negative",
                      json::member(path, "size"));
  }
  d.size = *size;
  d.urls = TRY(json::opt_strings(j, "urls", path)).value_or(std::vector<std::string>{});
  for (size_t i = 0; i < d.urls.size(); ++i) {
    if (!d.urls[i].starts_with("http://") && !d.urls[i].starts_with("https://")) {
      return make_error(ErrorCode::kInvalidArgument, "{}: not an http(s) URL: {}",
                        json::element(json::member(path, "urls"), i), d.urls[i]);
    }
  }
  d.annotations = TRY(json::opt_string_map(j, "annotations", path))
                      .value_or(std::map<std::string, std::string>{});
  if (const Json* p = TRY(json::opt_object(j, "platform", path))) {
    d.platform = TRY(parse_platform_json(*p, json::member(path, "platform")));
  }
  d.artifact_type = TRY(json::string_or_empty(j, "artifactType", path));
  d.data = TRY(json::opt_string(j, "data", path));
  return d;
}

OrderedJson platform_json(const Platform& p) {
  OrderedJson j = OrderedJson::object();
  j["architecture"] = p.architecture;
  j["os"] = p.os;
  if (!p.os_version.empty()) j["os.version"] = p.os_version;
  if (!p.os_features.empty()) j["os.features"] = p.os_features;
  if (!p.variant.empty()) j["variant"] = p.variant;
  return j;
}

OrderedJson descriptor_json(const Descriptor& d, bool oci) {
  OrderedJson j = OrderedJson::object();
  j["mediaType"] = d.media_type;
  if (oci) {
    j["digest"] = d.digest.to_string();
    j["size"] = d.size;
  } else {
    j["size"] = d.size;
    j["digest"] = d.digest.to_string();
  }
  if (!d.urls.empty()) j["urls"] = d.urls;
  if (!d.annotations.empty()) j["annotations"] = d.annotations;
  if (d.data) j["data"] = *d.data;
  if (d.platform) j["platform"] = platform_json(*d.platform);
  if (!d.artifact_type.empty()) j["artifactType"] = d.artifact_type;
  return j;
}

}  // namespace berth::image
