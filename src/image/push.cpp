#include "image/push.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "image/manifest.h"
#include "image/media_types.h"
#include "store/archive/compression.h"

namespace berth::image {

namespace {

Error cancelled() {
  return Error(ErrorCode::kCancelled, "push cancelled");
}

// A Reader over a blob that owns its fd, for push_blob's open_source.
class BlobReader final : public store::Reader {
 public:
  explicit BlobReader(UniqueFd fd) : fd_(std::move(fd)), reader_(fd_.get()) {}
  Result<size_t> read(char* buf, size_t len) override { return reader_.read(buf, len); }

 private:
  UniqueFd fd_;
  store::FdReader reader_;
};

// Stops reading when the push is cancelled.
class CancellableReader final : public store::Reader {
 public:
  CancellableReader(std::unique_ptr<store::Reader> inner, std::stop_token stop)
      : inner_(std::move(inner)), stop_(std::move(stop)) {}
  Result<size_t> read(char* buf, size_t len) override {
    if (stop_.stop_requested()) return cancelled();
    return inner_->read(buf, len);
  }

 private:
  std::unique_ptr<store::Reader> inner_;
  std::stop_token stop_;
};

struct PushLayer {
  Descriptor desc;
  store::Digest diff_id;
  std::string id;  // short DiffID, as Docker shows pushed layers
};

class Pusher {
 public:
  Pusher(ImageStore& store, RegistryApi& registry, RemoteRepository repo,
         const PushOptions& options, ProgressOutput& progress)
      : store_(store),
        registry_(registry),
        repo_(std::move(repo)),
        options_(options),
        progress_(progress),
        lease_(store.lease()) {}

  Result<PushedTag> push(const Reference& tag, const store::Digest& image_id);

 private:
  struct Plan {
    std::string media_type;
    std::string bytes;  // the manifest
    std::vector<PushLayer> layers;
    Descriptor config;
  };
  Result<std::optional<Plan>> original_manifest(const ImageRecord& image);
  Result<Plan> build_manifest(const ImageRecord& image);
  Result<LayerBlob> blob_for_layer(const ImageRecord& image, const store::Digest& diff_id,
                                   bool oci);
  Result<LayerBlob> recompress(const LayerBlob& source);
  Status push_layers(const std::vector<PushLayer>& layers);
  Status push_layer(const PushLayer& layer);
  Result<PushOutcome> push_blob(const Descriptor& desc, const TransferProgressFn& progress);

  ImageStore& store_;
  RegistryApi& registry_;
  RemoteRepository repo_;
  const PushOptions& options_;
  ProgressOutput& progress_;
  Lease lease_;
};

Result<std::optional<Pusher::Plan>> Pusher::original_manifest(const ImageRecord& image) {
  std::string_view want =
      image.format == ManifestFormat::kOci ? media::kOciManifest : media::kDockerManifest;
  for (const auto& m : image.manifests) {
    if (m.media_type != want || !store_.content().exists(m.digest)) continue;
    auto bytes = store_.content().read_blob(m.digest, 4 << 20);
    if (!bytes.ok()) continue;
    auto manifest = parse_image_manifest(*bytes, m.media_type);
    if (!manifest.ok() || manifest->config.digest != image.id ||
        manifest->layers.size() != image.layers.size()) {
      continue;
    }
    bool complete = true;
    Plan plan;
    for (size_t i = 0; i < manifest->layers.size(); ++i) {
      const Descriptor& d = manifest->layers[i];
      if (!media::is_non_distributable(d.media_type) && !store_.content().exists(d.digest)) {
        complete = false;
        break;
      }
      plan.layers.push_back(
          {d, image.layers[i].diff_id, short_id(image.layers[i].diff_id.to_string())});
    }
    if (!complete) continue;
    plan.media_type = m.media_type;
    plan.bytes = bytes.take();
    plan.config = manifest->config;
    return std::optional<Plan>(std::move(plan));
  }
  return std::optional<Plan>();
}

Result<LayerBlob> Pusher::recompress(const LayerBlob& source) {
  // Docker v2 schema 2 has no zstd or plain-tar layers: store a gzip copy, once.
  auto fd = TRY(store_.content().open_blob(source.digest));
  store::FdReader in(fd.get());
  store::DecompressingReader plain(in);
  auto writer = TRY(store_.content().writer("recompress-" + source.digest.to_string()));
  store::CompressingWriter gzip(writer, store::Compression::kGzip);
  TRY(store::copy_stream(plain, gzip));
  TRY(gzip.finish());
  lease_.pin_blob(writer.digest());
  int64_t size = static_cast<int64_t>(writer.size());
  store::Digest digest = TRY(writer.commit());
  LayerBlob blob{source.diff_id, digest, std::string(media::kDockerLayerGzip), size, {}};
  TRY(store_.add_layer_blob(blob));
  return blob;
}

Result<LayerBlob> Pusher::blob_for_layer(const ImageRecord& image, const store::Digest& diff_id,
                                         bool oci) {
  auto blobs = TRY(store_.layer_blobs(diff_id));
  std::optional<LayerBlob> best;
  int best_score = -1;
  for (const auto& b : blobs) {
    bool foreign = media::is_non_distributable(b.media_type);
    if (!foreign && !store_.content().exists(b.digest)) continue;
    auto compression = media::layer_compression(b.media_type);
    if (!compression) continue;
    bool usable = oci || foreign || *compression == store::Compression::kGzip;
    int score = usable ? 10 : 0;
    for (const auto& src : TRY(store_.blob_sources(b.digest))) {
      if (src.registry == repo_.registry) score += src.repository == repo_.path ? 4 : 2;
    }
    if (score > best_score) {
      best_score = score;
      best = b;
    }
  }
  if (!best) {
    return make_error(ErrorCode::kNotFound, "image {}: no blob holds layer {}",
                      short_id(image.id.to_string()), diff_id.to_string());
  }
  auto compression = *media::layer_compression(best->media_type);
  if (!oci && !media::is_non_distributable(best->media_type) &&
      compression != store::Compression::kGzip) {
    best = TRY(recompress(*best));
    compression = store::Compression::kGzip;
  }
  // The same bytes, named in the manifest's vocabulary.
  if (media::is_non_distributable(best->media_type)) {
    best->media_type = oci ? std::string(media::kOciLayerNonDistributableGzip)
                           : std::string(media::kDockerForeignLayerGzip);
    if (compression == store::Compression::kNone) {
      best->media_type = oci ? std::string(media::kOciLayerNonDistributable)
                             : std::string(media::kDockerForeignLayer);
    }
  } else {
    best->media_type = std::string(media::layer_media_type(compression, oci));
  }
  return *best;
}

Result<Pusher::Plan> Pusher::build_manifest(const ImageRecord& image) {
  bool oci = image.format == ManifestFormat::kOci;
  ImageManifest m;
  m.media_type = oci ? media::kOciManifest : media::kDockerManifest;
  std::string config = TRY(store_.config_bytes(image.id));
  m.config = Descriptor{std::string(oci ? media::kOciConfig : media::kDockerConfig), image.id,
                        static_cast<int64_t>(config.size())};
  Plan plan;
  for (const auto& layer : image.layers) {
    auto blob = TRY(blob_for_layer(image, layer.diff_id, oci));
    Descriptor d{blob.media_type, blob.digest, blob.size};
    d.urls = blob.urls;
    m.layers.push_back(d);
    plan.layers.push_back({d, layer.diff_id, short_id(layer.diff_id.to_string())});
  }
  plan.media_type = m.media_type;
  plan.bytes = serialize_manifest(m);
  plan.config = m.config;
  return plan;
}

Result<PushOutcome> Pusher::push_blob(const Descriptor& desc, const TransferProgressFn& progress) {
  std::optional<RemoteRepository> mount_from;
  for (const auto& src : TRY(store_.blob_sources(desc.digest))) {
    if (src.registry == repo_.registry && src.repository != repo_.path) {
      mount_from = RemoteRepository{src.registry, src.repository};
      break;
    }
  }
  auto open_source = [this, digest = desc.digest]() -> Result<std::unique_ptr<store::Reader>> {
    auto fd = TRY(store_.content().open_blob(digest));
    return std::unique_ptr<store::Reader>(std::make_unique<CancellableReader>(
        std::make_unique<BlobReader>(std::move(fd)), options_.stop));
  };
  auto outcome =
      TRY(registry_.push_blob(repo_, desc.digest, desc.size, open_source, mount_from, progress));
  TRY(store_.add_blob_source({desc.digest, repo_.registry, repo_.path}));
  return outcome;
}

Status Pusher::push_layer(const PushLayer& layer) {
  if (options_.stop.stop_requested()) return cancelled();
  if (media::is_non_distributable(layer.desc.media_type)) {
    progress_.update(layer.id, "Skipped foreign layer");
    return {};
  }
  auto existing = TRY(registry_.stat_blob(repo_, layer.desc.digest));
  if (existing) {
    TRY(store_.add_blob_source({layer.desc.digest, repo_.registry, repo_.path}));
    progress_.update(layer.id, "Layer already exists");
    return {};
  }
  std::optional<std::string> mounted_from;
  for (const auto& src : TRY(store_.blob_sources(layer.desc.digest))) {
    if (src.registry == repo_.registry && src.repository != repo_.path) {
      mounted_from = src.repository;
      break;
    }
  }
  auto outcome = TRY(push_blob(layer.desc, [&](int64_t current, int64_t total) {
    progress_.progress(layer.id, "Pushing", current, total > 0 ? total : layer.desc.size);
  }));
  switch (outcome) {
    case PushOutcome::kMounted:
      progress_.update(layer.id, "Mounted from " + mounted_from.value_or(repo_.path));
      break;
    case PushOutcome::kExisted: progress_.update(layer.id, "Layer already exists"); break;
    case PushOutcome::kPushed: progress_.update(layer.id, "Pushed"); break;
  }
  return {};
}

Status Pusher::push_layers(const std::vector<PushLayer>& layers) {
  // Docker lists the top layer first.
  std::vector<const PushLayer*> order;
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    if (std::none_of(order.begin(), order.end(),
                     [&](const PushLayer* p) { return p->desc.digest == it->desc.digest; })) {
      order.push_back(&*it);
    }
  }
  for (const auto* l : order) progress_.update(l->id, "Preparing");
  size_t workers = std::min<size_t>(
      order.size(), static_cast<size_t>(std::max(1, options_.max_concurrent_uploads)));
  for (size_t k = workers; k < order.size(); ++k) progress_.update(order[k]->id, "Waiting");
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::optional<Error> first_error;
  std::atomic<bool> failed{false};
  {
    std::vector<std::jthread> threads;
    for (size_t w = 0; w < workers; ++w) {
      threads.emplace_back([&] {
        while (!failed) {
          size_t k = next++;
          if (k >= order.size()) return;
          Status st = push_layer(*order[k]);
          if (!st.ok()) {
            std::lock_guard lock(mutex);
            if (!first_error) {
              first_error =
                  std::move(st).error().context("layer " + order[k]->desc.digest.to_string());
            }
            failed = true;
          }
        }
      });
    }
  }
  if (first_error) return *first_error;
  return {};
}

Result<PushedTag> Pusher::push(const Reference& tag, const store::Digest& image_id) {
  auto image = TRY(store_.get(image_id));
  lease_.pin_blob(image.id);
  auto original = TRY(original_manifest(image));
  Plan plan = original ? std::move(*original) : TRY(build_manifest(image));
  TRY(push_layers(plan.layers));
  if (options_.stop.stop_requested()) return cancelled();
  // The config: no progress line, as with Docker.
  auto existing = TRY(registry_.stat_blob(repo_, plan.config.digest));
  if (!existing) TRY_CTX(push_blob(plan.config, nullptr), "config");
  auto digest = TRY(registry_.put_manifest(repo_, tag.tag(), plan.media_type, plan.bytes));
  auto expected = store::Digest::of(plan.bytes);
  if (digest != expected) {
    return make_error(ErrorCode::kDataLoss, "registry stored the manifest as {}, expected {}",
                      digest.to_string(), expected.to_string());
  }
  // Remember the manifest and the repo digest, as Docker shows RepoDigests after a push.
  lease_.pin_blob(digest);
  TRY(store_.content().write_blob(plan.bytes, digest));
  TRY(store_.add_manifest(image.id,
                          {digest, plan.media_type, static_cast<int64_t>(plan.bytes.size())}));
  TRY(store_.add_reference(tag.with_digest(digest), image.id));
  int64_t size = static_cast<int64_t>(plan.bytes.size());
  progress_.message("",
                    fmt::format("{}: digest: {} size: {}", tag.tag(), digest.to_string(), size));
  OrderedJson aux = OrderedJson::object();
  aux["Tag"] = tag.tag();
  aux["Digest"] = digest.to_string();
  aux["Size"] = size;
  progress_.aux(std::move(aux));
  return PushedTag{tag.tag(), digest, size};
}

}  // namespace

Result<std::vector<PushedTag>> push_image(ImageStore& store, RegistryApi& registry,
                                          const Reference& ref, const PushOptions& options,
                                          ProgressOutput& progress) {
  std::vector<std::pair<Reference, store::Digest>> tags;
  if (ref.has_tag()) {
    auto id = store.lookup_reference(ref.with_tag(ref.tag()));
    if (!id.ok()) {
      return make_error(ErrorCode::kNotFound, "An image does not exist locally with the tag: {}",
                        ref.with_tag(ref.tag()).familiar_string());
    }
    tags.emplace_back(ref.with_tag(ref.tag()), *id);
  } else {
    tags = TRY(store.repository_tags(ref.name()));
    if (tags.empty()) {
      return make_error(ErrorCode::kNotFound, "An image does not exist locally with the tag: {}",
                        ref.familiar_name());
    }
  }
  progress.message("", "The push refers to repository [" + ref.name() + "]");
  std::vector<PushedTag> pushed;
  Pusher pusher(store, registry, remote_repository(ref), options, progress);
  for (const auto& [tag, id] : tags) pushed.push_back(TRY(pusher.push(tag, id)));
  return pushed;
}

}  // namespace berth::image
