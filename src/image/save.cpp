#include "image/save.h"

#include <map>
#include <set>

#include "image/manifest.h"
#include "image/media_types.h"
#include "store/archive/tar_writer.h"

namespace berth::image {

namespace {

struct SavedImage {
  store::Digest id;
  std::vector<Reference> tags;  // in manifest.json's RepoTags
};

// What `names` select, in order, one entry per image (tags merged).
Result<std::vector<SavedImage>> select_images(ImageStore& store,
                                              const std::vector<std::string>& names) {
  std::vector<SavedImage> out;
  auto add = [&](const store::Digest& id, std::optional<Reference> tag) {
    for (auto& s : out) {
      if (s.id == id) {
        if (tag && std::find(s.tags.begin(), s.tags.end(), *tag) == s.tags.end()) {
          s.tags.push_back(*tag);
        }
        return;
      }
    }
    SavedImage s{id, {}};
    if (tag) s.tags.push_back(*tag);
    out.push_back(std::move(s));
  };
  for (const auto& name : names) {
    auto spec = TRY(parse_image_specifier(name));
    if (spec.reference && !spec.reference->has_tag() && !spec.reference->has_digest()) {
      // A bare repository name: every tag it has, if it has any.
      auto tags = TRY(store.repository_tags(spec.reference->name()));
      if (!tags.empty()) {
        for (const auto& [ref, id] : tags) add(id, ref);
        continue;
      }
    }
    auto image = TRY(store.resolve(name));
    std::optional<Reference> tag;
    if (spec.reference && spec.reference->has_tag() && !spec.reference->has_digest()) {
      auto tagged = store.lookup_reference(*spec.reference);
      if (tagged.ok() && *tagged == image.id) tag = *spec.reference;
    }
    add(image.id, tag);
  }
  return out;
}

class LayoutWriter {
 public:
  LayoutWriter(ImageStore& store, store::Writer& out, const std::stop_token& stop)
      : store_(store), tar_(out), stop_(stop) {}

  Status begin() {
    TRY(dir("blobs/"));
    return dir("blobs/sha256/");
  }

  Status blob_from_store(const store::Digest& digest) {
    if (!written_.insert(digest).second) return {};
    if (stop_.stop_requested()) return Error(ErrorCode::kCancelled, "save cancelled");
    auto info = TRY(store_.content().info(digest));
    auto fd = TRY(store_.content().open_blob(digest));
    store::TarHeader h = file_header(blob_path(digest), static_cast<int64_t>(info.size));
    return tar_.add_file(h, fd.get());
  }

  Status blob_bytes(const store::Digest& digest, const std::string& bytes) {
    if (!written_.insert(digest).second) return {};
    return file(blob_path(digest), bytes);
  }

  Status file(const std::string& path, const std::string& bytes) {
    store::TarHeader h = file_header(path, static_cast<int64_t>(bytes.size()));
    TRY(tar_.add(h));
    if (!bytes.empty()) TRY(tar_.write_data(bytes));
    return {};
  }

  Status finish() { return tar_.finish(); }

  static std::string blob_path(const store::Digest& d) {
    return "blobs/" + std::string(d.algorithm_name()) + "/" + d.hex();
  }

 private:
  Status dir(const std::string& path) {
    store::TarHeader h;
    h.path = path;
    h.type = store::EntryType::kDirectory;
    h.mode = 0755;
    return tar_.add(h);
  }
  static store::TarHeader file_header(const std::string& path, int64_t size) {
    store::TarHeader h;
    h.path = path;
    h.type = store::EntryType::kRegular;
    h.mode = 0644;
    h.size = size;
    return h;
  }

  ImageStore& store_;
  store::TarWriter tar_;
  const std::stop_token& stop_;
  std::set<store::Digest> written_;
};

// The image's manifest for the layout: the one it came with if it is OCI and complete,
// otherwise an OCI manifest over the blobs the store holds.
Result<std::pair<ImageManifest, std::string>> layout_manifest(ImageStore& store,
                                                              const ImageRecord& image) {
  for (const auto& m : image.manifests) {
    if (m.media_type != media::kOciManifest || !store.content().exists(m.digest)) continue;
    auto bytes = store.content().read_blob(m.digest, 4 << 20);
    if (!bytes.ok()) continue;
    auto parsed = parse_image_manifest(*bytes, m.media_type);
    if (!parsed.ok() || parsed->config.digest != image.id) continue;
    bool complete = true;
    for (const auto& l : parsed->layers) complete = complete && store.content().exists(l.digest);
    if (complete) return std::pair{parsed.take(), bytes.take()};
  }
  ImageManifest m;
  m.media_type = media::kOciManifest;
  auto config = TRY(store.content().info(image.id));
  m.config =
      Descriptor{std::string(media::kOciConfig), image.id, static_cast<int64_t>(config.size)};
  for (const auto& layer : image.layers) {
    std::optional<LayerBlob> chosen;
    for (const auto& b : TRY(store.layer_blobs(layer.diff_id))) {
      if (store.content().exists(b.digest)) {
        chosen = b;
        break;
      }
    }
    if (!chosen) {
      return make_error(ErrorCode::kNotFound, "image {}: no blob holds layer {}",
                        image.id.to_string(), layer.diff_id.to_string());
    }
    auto compression =
        media::layer_compression(chosen->media_type).value_or(store::Compression::kGzip);
    Descriptor d{std::string(media::layer_media_type(compression, true)), chosen->digest,
                 chosen->size};
    if (media::is_non_distributable(chosen->media_type)) {
      d.media_type = compression == store::Compression::kNone
                         ? std::string(media::kOciLayerNonDistributable)
                         : std::string(media::kOciLayerNonDistributableGzip);
      d.urls = chosen->urls;
    }
    m.layers.push_back(std::move(d));
  }
  std::string bytes = serialize_manifest(m);
  return std::pair{std::move(m), std::move(bytes)};
}

}  // namespace

Status save_images(ImageStore& store, const std::vector<std::string>& names, store::Writer& out,
                   const SaveOptions& options) {
  if (names.empty()) return Error(ErrorCode::kInvalidArgument, "no images to save");
  auto selected = TRY(select_images(store, names));
  // Pinned for the duration, so a concurrent rmi cannot pull blobs from under the writer.
  Lease lease = store.lease();
  LayoutWriter layout(store, out, options.stop);
  TRY(layout.begin());
  OrderedJson manifest_json = OrderedJson::array();
  OrderedJson index_manifests = OrderedJson::array();
  OrderedJson repositories = OrderedJson::object();
  for (const auto& s : selected) {
    auto image = TRY(store.get(s.id));
    lease.pin_blob(image.id);
    auto [manifest, manifest_bytes] = TRY(layout_manifest(store, image));
    store::Digest manifest_digest = store::Digest::of(manifest_bytes);
    TRY(layout.blob_from_store(image.id));
    OrderedJson layers = OrderedJson::array();
    OrderedJson layer_sources = OrderedJson::object();
    for (const auto& l : manifest.layers) {
      lease.pin_blob(l.digest);
      layers.push_back(LayoutWriter::blob_path(l.digest));
      if (media::is_non_distributable(l.media_type)) {
        layer_sources[l.digest.to_string()] = descriptor_json(l, true);
        if (!store.content().exists(l.digest)) continue;
      }
      TRY(layout.blob_from_store(l.digest));
    }
    TRY(layout.blob_bytes(manifest_digest, manifest_bytes));

    OrderedJson entry = OrderedJson::object();
    entry["Config"] = LayoutWriter::blob_path(image.id);
    OrderedJson repo_tags = OrderedJson::array();
    for (const auto& t : s.tags) repo_tags.push_back(t.familiar_string());
    entry["RepoTags"] = s.tags.empty() ? OrderedJson(nullptr) : repo_tags;
    entry["Layers"] = std::move(layers);
    if (!layer_sources.empty()) entry["LayerSources"] = std::move(layer_sources);
    manifest_json.push_back(std::move(entry));

    Descriptor desc{std::string(media::kOciManifest), manifest_digest,
                    static_cast<int64_t>(manifest_bytes.size())};
    if (s.tags.empty()) {
      index_manifests.push_back(descriptor_json(desc, true));
    }
    for (const auto& t : s.tags) {
      Descriptor tagged = desc;
      tagged.annotations["io.containerd.image.name"] = t.string();
      tagged.annotations["org.opencontainers.image.ref.name"] = t.tag();
      index_manifests.push_back(descriptor_json(tagged, true));
      repositories[t.familiar_name()][t.tag()] = image.id.hex();
    }
  }
  OrderedJson index = OrderedJson::object();
  index["schemaVersion"] = 2;
  index["mediaType"] = media::kOciIndex;
  index["manifests"] = std::move(index_manifests);
  TRY(layout.file("index.json", index.dump()));
  TRY(layout.file("manifest.json", manifest_json.dump()));
  TRY(layout.file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"));
  if (!repositories.empty()) TRY(layout.file("repositories", repositories.dump()));
  return layout.finish();
}

}  // namespace berth::image
