#include "image/load.h"

#include <fcntl.h>
#include <unistd.h>

#include "base/file_util.h"
#include "base/log.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "image/archive_stage.h"
#include "image/manifest.h"
#include "image/media_types.h"
#include "store/archive/compression.h"
#include "store/fs/dir_ops.h"
#include "store/snapshot/chain_id.h"

namespace berth::image {

namespace {

constexpr size_t kMaxJson = 32 << 20;

struct LayerSource {
  std::string path;                     // in the archive
  std::optional<store::Digest> digest;  // what the name or descriptor claims
  std::optional<int64_t> size;
  std::string media_type;  // empty: detect
};

struct Candidate {
  std::string config_bytes;
  store::Digest id;
  std::string config_media_type;
  ImageConfig config;
  std::vector<LayerSource> layers;
  std::vector<Reference> tags;
  ManifestFormat format = ManifestFormat::kDocker;
  std::optional<std::pair<ManifestRecord, std::string>> manifest;  // OCI layouts
};

Error invalid(std::string_view what) {
  return make_error(ErrorCode::kInvalidArgument, "invalid archive: {}", what);
}

// "blobs/sha256/<hex>" (or "<hex>.json", "<hex>/layer.tar" of old archives): the digest a path
// claims, when it claims one.
std::optional<store::Digest> digest_from_path(std::string_view path) {
  std::string p = clean_path("/" + std::string(path));
  std::string_view v = p;
  if (v.starts_with("/blobs/")) {
    v.remove_prefix(7);
    auto [alg, hex] = split_once(v, '/');
    auto d = store::Digest::parse(std::string(alg) + ":" + std::string(hex));
    if (d.ok()) return d.take();
    return std::nullopt;
  }
  v.remove_prefix(1);
  if (v.ends_with(".json") && v.size() == 64 + 5) {
    auto d = store::Digest::parse("sha256:" + std::string(v.substr(0, 64)));
    if (d.ok()) return d.take();
  }
  return std::nullopt;
}

// Reads a blob through the content store's hashing writer, so a blob whose bytes do not match
// its claimed digest or size fails here with a clear error.
class TeeReader final : public store::Reader {
 public:
  TeeReader(store::Reader& in, store::Writer& copy) : in_(in), copy_(copy) {}
  Result<size_t> read(char* buf, size_t len) override {
    size_t n = TRY(in_.read(buf, len));
    if (n > 0) TRY(copy_.write(std::string_view(buf, n)));
    return n;
  }

 private:
  store::Reader& in_;
  store::Writer& copy_;
};

std::string detect_layer_media_type(int fd, bool oci) {
  char head[8] = {};
  ssize_t n = ::pread(fd, head, sizeof head, 0);
  auto c = store::detect_compression(std::string_view(head, n > 0 ? static_cast<size_t>(n) : 0));
  return std::string(media::layer_media_type(c.ok() ? *c : store::Compression::kNone, oci));
}

class Loader {
 public:
  Loader(ImageStore& store, const LoadOptions& options, ProgressOutput& progress)
      : store_(store), options_(options), progress_(progress), lease_(store.lease()) {}

  Result<LoadResult> run(store::Reader& archive);

 private:
  Result<std::vector<Candidate>> docker_archive();
  Result<std::vector<Candidate>> oci_layout();
  Status add_oci_entry(const Descriptor& desc, const std::vector<Reference>& tags,
                       std::vector<Candidate>& out, int depth);
  Result<std::string> read_blob(const Descriptor& desc);
  Status candidate_from_manifest(const ImageManifest& m, const Descriptor& desc,
                                 std::string manifest_bytes, const std::vector<Reference>& tags,
                                 std::vector<Candidate>& out);
  Result<NewImage> unpack(Candidate& c);
  Result<LayerBlob> unpack_layer(const LayerSource& src, const store::Digest& diff_id,
                                 const store::Digest& chain,
                                 const std::optional<store::Digest>& parent, bool oci);

  ImageStore& store_;
  const LoadOptions& options_;
  ProgressOutput& progress_;
  Lease lease_;
  UniqueFd root_;
};

Result<std::vector<Candidate>> Loader::docker_archive() {
  auto text = TRY(read_staged(root_.get(), "manifest.json", kMaxJson));
  auto json = TRY_CTX(parse_json(text, "manifest.json"), "invalid archive");
  if (!json.is_array()) return invalid("manifest.json: expected an array");
  std::vector<Candidate> out;
  for (size_t i = 0; i < json.size(); ++i) {
    const Json& e = json[i];
    std::string where = "manifest.json[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("Config") || !e["Config"].is_string()) {
      return invalid(where + ": no Config");
    }
    Candidate c;
    std::string config_path = e["Config"].get<std::string>();
    c.config_bytes = TRY(read_staged(root_.get(), config_path, kMaxJson));
    c.id = store::Digest::of(c.config_bytes);
    if (auto claimed = digest_from_path(config_path); claimed && *claimed != c.id) {
      return invalid(fmt::format("{}: {} does not match its digest (it is {})", where, config_path,
                                 c.id.to_string()));
    }
    c.config = TRY_CTX(parse_image_config(c.config_bytes), where);
    c.config_media_type = media::kDockerConfig;
    if (e.contains("Layers") && !e["Layers"].is_null()) {
      if (!e["Layers"].is_array()) return invalid(where + ": Layers: expected an array");
      for (const auto& l : e["Layers"]) {
        if (!l.is_string()) return invalid(where + ": Layers: expected strings");
        LayerSource src;
        src.path = l.get<std::string>();
        src.digest = digest_from_path(src.path);
        c.layers.push_back(std::move(src));
      }
    }
    if (e.contains("RepoTags") && e["RepoTags"].is_array()) {
      for (const auto& t : e["RepoTags"]) {
        if (!t.is_string()) continue;
        auto ref = Reference::parse_normalized(t.get<std::string>());
        if (!ref.ok()) return invalid(where + ": RepoTags: " + ref.error().message());
        c.tags.push_back(ref->tag_or_latest());
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::string> Loader::read_blob(const Descriptor& d) {
  std::string path = "blobs/" + std::string(d.digest.algorithm_name()) + "/" + d.digest.hex();
  auto bytes = TRY(read_staged(root_.get(), path, kMaxJson));
  if (static_cast<int64_t>(bytes.size()) != d.size) {
    return invalid(
        fmt::format("{}: size {} does not match its descriptor's {}", path, bytes.size(), d.size));
  }
  store::Hasher h(d.digest.algorithm());
  h.update(bytes);
  if (h.digest() != d.digest) return invalid(path + ": content does not match its digest");
  return bytes;
}

Status Loader::candidate_from_manifest(const ImageManifest& m, const Descriptor& desc,
                                       std::string manifest_bytes,
                                       const std::vector<Reference>& tags,
                                       std::vector<Candidate>& out) {
  Candidate c;
  c.config_bytes = TRY(read_blob(m.config));
  c.id = m.config.digest;
  c.config_media_type = m.config.media_type;
  c.config = TRY_CTX(parse_image_config(c.config_bytes), "config " + c.id.to_string());
  for (const auto& l : m.layers) {
    if (!media::is_layer(l.media_type)) {
      return make_error(ErrorCode::kUnimplemented, "unsupported layer media type {}", l.media_type);
    }
    c.layers.push_back({"blobs/" + std::string(l.digest.algorithm_name()) + "/" + l.digest.hex(),
                        l.digest, l.size, l.media_type});
  }
  c.tags = tags;
  c.format = m.is_oci() ? ManifestFormat::kOci : ManifestFormat::kDocker;
  c.manifest =
      std::pair{ManifestRecord{desc.digest, m.media_type, desc.size}, std::move(manifest_bytes)};
  out.push_back(std::move(c));
  return {};
}

Status Loader::add_oci_entry(const Descriptor& desc, const std::vector<Reference>& tags,
                             std::vector<Candidate>& out, int depth) {
  if (depth > 4) return invalid("indexes nested too deep");
  auto bytes = TRY(read_blob(desc));
  auto any = TRY(parse_any_manifest(bytes, desc.media_type));
  if (auto* m = std::get_if<ImageManifest>(&any)) {
    return candidate_from_manifest(*m, desc, std::move(bytes), tags, out);
  }
  const auto& index = std::get<ImageIndex>(any);
  Platform want = options_.platform.value_or(host_platform());
  std::vector<Platform> platforms;
  std::vector<const Descriptor*> entries;
  for (const auto& d : index.manifests) {
    if (!media::is_manifest(d.media_type) && !media::is_index(d.media_type)) continue;
    // Only platforms whose manifest is in the archive can be loaded.
    std::string path = "blobs/" + std::string(d.digest.algorithm_name()) + "/" + d.digest.hex();
    if (!staged_exists(root_.get(), path)) continue;
    platforms.push_back(d.platform.value_or(want));
    entries.push_back(&d);
  }
  auto best = best_platform(want, platforms);
  if (!best) {
    return make_error(ErrorCode::kNotFound, "no matching manifest for {} in the archive",
                      format_platform(want));
  }
  return add_oci_entry(*entries[*best], tags, out, depth + 1);
}

Result<std::vector<Candidate>> Loader::oci_layout() {
  auto layout = TRY(read_staged(root_.get(), "oci-layout", 1 << 16));
  auto lj = TRY_CTX(parse_json(layout, "oci-layout"), "invalid archive");
  if (!lj.is_object() || !lj.contains("imageLayoutVersion")) {
    return invalid("oci-layout: no imageLayoutVersion");
  }
  auto text = TRY(read_staged(root_.get(), "index.json", kMaxJson));
  auto index = TRY_CTX(parse_image_index(text, media::kOciIndex), "invalid archive: index.json");
  std::vector<Candidate> out;
  for (const auto& d : index.manifests) {
    std::vector<Reference> tags;
    std::string name;
    if (auto it = d.annotations.find("io.containerd.image.name"); it != d.annotations.end()) {
      name = it->second;
    } else if (auto r = d.annotations.find("org.opencontainers.image.ref.name");
               r != d.annotations.end() && r->second.find_first_of("/:") != std::string::npos) {
      // A full reference; a bare tag names nothing without a repository.
      name = r->second;
    }
    if (!name.empty()) {
      auto ref = Reference::parse_normalized(name);
      if (ref.ok() && !ref->has_digest()) tags.push_back(ref->tag_or_latest());
    }
    TRY(add_oci_entry(d, tags, out, 0));
  }
  return out;
}

Result<LayerBlob> Loader::unpack_layer(const LayerSource& src, const store::Digest& diff_id,
                                       const store::Digest& chain,
                                       const std::optional<store::Digest>& parent, bool oci) {
  auto fd = TRY(open_staged(root_.get(), src.path));
  std::string media_type =
      src.media_type.empty() ? detect_layer_media_type(fd.get(), oci) : src.media_type;
  std::optional<uint64_t> size;
  if (src.size) size = static_cast<uint64_t>(*src.size);
  auto writer = TRY(store_.content().writer("load-" + store::fs::random_id(16), src.digest, size));
  store::FdReader file(fd.get());
  TeeReader tee(file, writer);
  if (!options_.quiet) progress_.update(short_id(diff_id.to_string()), "Loading layer");
  auto added = store_.snapshots().add_layer(parent, tee, diff_id);
  if (!added.ok()) return std::move(added).error().context("layer " + src.path);
  // The rest of the file (all of it when the layer was there already) still goes to the blob.
  store::NullWriter none;
  TeeReader rest(file, writer);
  TRY(store::copy_stream(rest, none));
  lease_.pin_blob(writer.digest());
  int64_t blob_size = static_cast<int64_t>(writer.size());
  auto digest = writer.commit();
  if (!digest.ok()) {
    return invalid(fmt::format("layer {}: {}", src.path, digest.error().message()));
  }
  if (added->chain_id != chain) {
    return make_error(ErrorCode::kDataLoss, "layer {}: unexpected chain ID", src.path);
  }
  return LayerBlob{diff_id, *digest, media_type, blob_size, {}};
}

Result<NewImage> Loader::unpack(Candidate& c) {
  if (c.layers.size() != c.config.diff_ids.size()) {
    return invalid(fmt::format("image {}: {} layers for {} diff_ids", c.id.to_string(),
                               c.layers.size(), c.config.diff_ids.size()));
  }
  lease_.pin_blob(c.id);
  TRY(store_.content().write_blob(c.config_bytes, c.id));
  NewImage image;
  image.id = c.id;
  image.config_media_type = c.config_media_type;
  image.config = c.config;
  image.format = c.format;
  image.tags = c.tags;
  auto chains = store::chain_ids(c.config.diff_ids);
  for (size_t i = 0; i < c.layers.size(); ++i) {
    lease_.pin_layer(chains[i]);
    std::optional<store::Digest> parent;
    if (i > 0) parent = chains[i - 1];
    auto blob = TRY(unpack_layer(c.layers[i], c.config.diff_ids[i], chains[i], parent,
                                 c.format == ManifestFormat::kOci));
    image.layers.push_back({c.config.diff_ids[i], chains[i]});
    image.layer_blobs.push_back(std::move(blob));
    image.size += static_cast<int64_t>(TRY(store_.snapshots().layer(chains[i])).size);
  }
  if (c.manifest) {
    lease_.pin_blob(c.manifest->first.digest);
    TRY(store_.content().write_blob(c.manifest->second, c.manifest->first.digest));
    image.manifests.push_back(c.manifest->first);
  }
  return image;
}

Result<LoadResult> Loader::run(store::Reader& archive) {
  std::string staging = TRY(store_.make_temp_dir("load"));
  auto remove_staging = ScopeExit([&] {
    auto parent = store::fs::open_dir(dirname(staging));
    if (parent.ok()) (void)store::fs::remove_tree_at(parent->get(), basename(staging));
  });
  root_ = TRY(store::fs::open_dir(staging));
  TRY(stage_archive(archive, root_.get(), options_.stop));

  std::vector<Candidate> candidates;
  if (staged_exists(root_.get(), "manifest.json")) {
    candidates = TRY(docker_archive());
  } else if (staged_exists(root_.get(), "index.json")) {
    candidates = TRY(oci_layout());
  } else {
    return invalid("no manifest.json or index.json: neither a docker-archive nor an OCI layout");
  }
  if (candidates.empty()) return invalid("no images");
  std::vector<NewImage> images;
  for (auto& c : candidates) {
    if (options_.stop.stop_requested()) return Error(ErrorCode::kCancelled, "load cancelled");
    images.push_back(TRY(unpack(c)));
  }
  TRY(store_.sync_layers());
  auto commits = TRY(store_.commit_all(images));
  LoadResult result;
  for (size_t i = 0; i < images.size(); ++i) {
    for (const auto& [ref, old_id] : commits[i].moved_tags) {
      progress_.stream(fmt::format(
          "The image {} already exists, renaming the old one with ID {} to empty string\n",
          ref.familiar_string(), old_id.to_string()));
    }
    result.image_ids.push_back(images[i].id);
    if (images[i].tags.empty()) {
      progress_.stream("Loaded image ID: " + images[i].id.to_string() + "\n");
    }
    for (const auto& t : images[i].tags) {
      progress_.stream("Loaded image: " + t.familiar_string() + "\n");
      result.tags.push_back(t.familiar_string());
    }
  }
  return result;
}

}  // namespace

Result<LoadResult> load_images(ImageStore& store, store::Reader& archive,
                               const LoadOptions& options, ProgressOutput& progress) {
  Result<LoadResult> result = Error(ErrorCode::kInternal, "unset");
  {
    Loader loader(store, options, progress);
    result = loader.run(archive);
  }
  if (!result.ok()) {
    auto gc = store.collect_garbage();
    if (!gc.ok()) log::warn("load cleanup: {}", gc.error().to_string());
  }
  return result;
}

}  // namespace berth::image
