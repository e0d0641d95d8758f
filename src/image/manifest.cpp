#include "image/manifest.h"

#include "image/json_read.h"
#include "image/media_types.h"

namespace berth::image {

namespace {

bool generic_content_type(std::string_view t) {
  return t.empty() || t == "application/json" || t == "text/plain" ||
         t == "application/octet-stream" || t.starts_with("text/plain;");
}

// Which media type a manifest blob has (see parse_any_manifest).
Result<std::string> effective_media_type(const Json& j, std::string_view content_type) {
  auto declared = TRY(json::opt_string(j, "mediaType", "manifest"));
  auto version = TRY(json::opt_int(j, "schemaVersion", "manifest"));
  if (version && *version == 1) return std::string(media::kDockerSchema1SignedManifest);
  if (declared && !declared->empty()) return *declared;
  if (!generic_content_type(content_type)) return std::string(content_type);
  if (j.contains("manifests")) return std::string(media::kOciIndex);
  if (j.contains("config") || j.contains("layers")) return std::string(media::kOciManifest);
  return std::string(media::kOciManifest);
}

Status check_schema_version(const Json& j, std::string_view what) {
  auto version = TRY(json::opt_int(j, "schemaVersion", what));
  if (!version) {
    return make_error(ErrorCode::kInvalidArgument, "{}: schemaVersion: missing", what);
  }
  if (*version != 2) {
    return make_error(ErrorCode::kInvalidArgument, "{}: unsupported schemaVersion {}", what,
                      *version);
  }
  return {};
}

Result<std::vector<Descriptor>> descriptors(const Json& j, std::string_view key,
                                            std::string_view what, bool required) {
  std::vector<Descriptor> out;
  const Json* arr = TRY(json::opt_array(j, key, what));
  if (arr == nullptr) {
    if (required) {
      return make_error(ErrorCode::kInvalidArgument, "{}: missing", json::member(what, key));
    }
    return out;
  }
  std::string path = json::member(what, key);
  for (size_t i = 0; i < arr->size(); ++i) {
    out.push_back(TRY(parse_descriptor((*arr)[i], json::element(path, i))));
  }
  return out;
}

Status parse_common(const Json& j, std::string_view what, std::string* artifact_type,
                    std::optional<Descriptor>* subject,
                    std::map<std::string, std::string>* annotations) {
  *artifact_type = TRY(json::string_or_empty(j, "artifactType", what));
  if (const Json* s = TRY(json::opt_object(j, "subject", what))) {
    *subject = TRY(parse_descriptor(*s, json::member(what, "subject")));
  }
  *annotations = TRY(json::opt_string_map(j, "annotations", what))
                     .value_or(std::map<std::string, std::string>{});
  return {};
}

Result<ImageManifest> manifest_from_json(const Json& j, std::string media_type) {
  constexpr std::string_view kWhat = "manifest";
  TRY(check_schema_version(j, kWhat));
  ImageManifest m;
  m.media_type = std::move(media_type);
  if (j.contains("manifests")) {
    return make_error(ErrorCode::kInvalidArgument, "manifest: has \"manifests\": an index?");
  }
  const Json* config = TRY(json::opt_object(j, "config", kWhat));
  if (config == nullptr)
    return make_error(ErrorCode::kInvalidArgument, "manifest: config: missing");
  m.config = TRY(parse_descriptor(*config, "manifest.config"));
  m.layers =
      TRY(descriptors(j, "layers", kWhat, /*required=*/m.media_type == media::kDockerManifest));
  TRY(parse_common(j, kWhat, &m.artifact_type, &m.subject, &m.annotations));
  return m;
}

Result<ImageIndex> index_from_json(const Json& j, std::string media_type) {
  constexpr std::string_view kWhat = "index";
  TRY(check_schema_version(j, kWhat));
  ImageIndex index;
  index.media_type = std::move(media_type);
  index.manifests = TRY(descriptors(j, "manifests", kWhat, /*required=*/true));
  TRY(parse_common(j, kWhat, &index.artifact_type, &index.subject, &index.annotations));
  return index;
}

}  // namespace

bool ImageManifest::is_oci() const {
  return media_type != media::kDockerManifest;
}

bool ImageIndex::is_oci() const {
  return media_type != media::kDockerManifestList;
}

Error schema1_error(std::string_view reference) {
  return make_error(ErrorCode::kUnimplemented,
                    "Docker Image manifest version 2, schema 1 is not supported. Suggest the "
                    "author of {} to upgrade the image to the OCI Format or Docker Image manifest "
                    "v2, schema 2. More information at "
                    "https://docs.docker.com/go/deprecated-image-specs/",
                    reference.empty() ? "the image" : reference);
}

Result<AnyManifest> parse_any_manifest(std::string_view bytes, std::string_view content_type) {
  auto j = TRY(json::parse_object(bytes, "manifest"));
  std::string type = TRY(effective_media_type(j, content_type));
  if (media::is_schema1(type)) return schema1_error("");
  if (media::is_index(type)) return AnyManifest(TRY(index_from_json(j, type)));
  if (media::is_manifest(type)) return AnyManifest(TRY(manifest_from_json(j, type)));
  return make_error(ErrorCode::kInvalidArgument, "unsupported manifest media type {}", type);
}

Result<ImageManifest> parse_image_manifest(std::string_view bytes, std::string_view content_type) {
  auto any = TRY(parse_any_manifest(bytes, content_type));
  if (auto* m = std::get_if<ImageManifest>(&any)) return std::move(*m);
  return make_error(ErrorCode::kInvalidArgument, "expected an image manifest, got an index ({})",
                    std::get<ImageIndex>(any).media_type);
}

Result<ImageIndex> parse_image_index(std::string_view bytes, std::string_view content_type) {
  auto any = TRY(parse_any_manifest(bytes, content_type));
  if (auto* i = std::get_if<ImageIndex>(&any)) return std::move(*i);
  return make_error(ErrorCode::kInvalidArgument, "expected an image index, got a manifest ({})",
                    std::get<ImageManifest>(any).media_type);
}

std::string serialize_manifest(const ImageManifest& m) {
  bool oci = m.is_oci();
  OrderedJson j = OrderedJson::object();
  j["schemaVersion"] = 2;
  j["mediaType"] = m.media_type;
  if (!m.artifact_type.empty()) j["artifactType"] = m.artifact_type;
  j["config"] = descriptor_json(m.config, oci);
  OrderedJson layers = OrderedJson::array();
  for (const auto& l : m.layers) layers.push_back(descriptor_json(l, oci));
  j["layers"] = std::move(layers);
  if (m.subject) j["subject"] = descriptor_json(*m.subject, oci);
  if (!m.annotations.empty()) j["annotations"] = m.annotations;
  return j.dump();
}

std::string serialize_index(const ImageIndex& index) {
  bool oci = index.is_oci();
  OrderedJson j = OrderedJson::object();
  j["schemaVersion"] = 2;
  j["mediaType"] = index.media_type;
  if (!index.artifact_type.empty()) j["artifactType"] = index.artifact_type;
  OrderedJson manifests = OrderedJson::array();
  for (const auto& d : index.manifests) manifests.push_back(descriptor_json(d, oci));
  j["manifests"] = std::move(manifests);
  if (index.subject) j["subject"] = descriptor_json(*index.subject, oci);
  if (!index.annotations.empty()) j["annotations"] = index.annotations;
  return j.dump();
}

}  // namespace berth::image
