#include "image/pull.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "base/log.h"
#include "image/decompress_thread.h"
#include "image/layer_pipe.h"
#include "image/manifest.h"
#include "image/media_types.h"
#include "store/snapshot/chain_id.h"

namespace berth::image {

namespace {

// Configs are small JSON documents; a registry offering more is not to be trusted.
constexpr int64_t kMaxConfigSize = 32 << 20;

Error cancelled() {
  return Error(ErrorCode::kCancelled, "pull cancelled");
}

Status verify_manifest_digest(const RemoteManifest& m, const std::optional<store::Digest>& want) {
  if (m.digest.algorithm() == store::DigestAlgorithm::kSha256 &&
      store::Digest::of(m.bytes) != m.digest) {
    return make_error(ErrorCode::kDataLoss, "manifest verification failed for digest {}",
                      m.digest.to_string());
  }
  if (want && m.digest != *want) {
    return make_error(ErrorCode::kDataLoss, "manifest verification failed for digest {}",
                      want->to_string());
  }
  return {};
}

// The tee a layer download writes into: the content store's ingest and the layer's pipe.
class LayerSink final : public store::Writer {
 public:
  LayerSink(store::Writer& blob, LayerPipe* pipe, const std::stop_token& stop,
            const std::atomic<bool>& failed)
      : blob_(blob), pipe_(pipe), stop_(stop), failed_(failed) {}
  Status write(std::string_view data) override {
    if (stop_.stop_requested() || failed_.load()) return cancelled();
    TRY(blob_.write(data));
    if (pipe_ != nullptr) TRY(pipe_->offer(data));
    return {};
  }

 private:
  store::Writer& blob_;
  LayerPipe* pipe_;
  const std::stop_token& stop_;
  const std::atomic<bool>& failed_;
};

// Counts what the unpack consumes, for "Extracting" progress, and stops on cancellation.
class ExtractReader final : public store::Reader {
 public:
  ExtractReader(store::Reader& source, std::function<void(int64_t)> on_read,
                const std::stop_token& stop)
      : source_(source), on_read_(std::move(on_read)), stop_(stop) {}
  Result<size_t> read(char* buf, size_t len) override {
    if (stop_.stop_requested()) return cancelled();
    size_t n = TRY(source_.read(buf, len));
    done_ += static_cast<int64_t>(n);
    on_read_(done_);
    return n;
  }

 private:
  store::Reader& source_;
  std::function<void(int64_t)> on_read_;
  const std::stop_token& stop_;
  int64_t done_ = 0;
};

struct LayerJob {
  Descriptor desc;
  store::Digest diff_id;
  store::Digest chain_id;
  std::optional<store::Digest> parent;
  std::string id;              // short digest, for progress
  bool need_unpack = false;    // the layer is not in the snapshotter yet
  bool need_download = false;  // ... and its blob is not in the content store
  std::unique_ptr<LayerPipe> pipe;
};

class Puller {
 public:
  Puller(ImageStore& store, RegistryApi& registry, const Reference& ref, const PullOptions& options,
         ProgressOutput& progress)
      : store_(store),
        registry_(registry),
        ref_(ref.has_digest() ? ref : ref.tag_or_latest()),
        repo_(remote_repository(ref)),
        options_(options),
        progress_(progress),
        lease_(store.lease()) {}

  Result<PullResult> run();

 private:
  Result<ImageManifest> resolve();
  Result<ImageManifest> select_from_index(const ImageIndex& index);
  Result<ImageConfig> fetch_config(const ImageManifest& manifest);
  Status plan_layers(const ImageManifest& manifest, const ImageConfig& config);
  Status transfer_layers();
  void download_worker(std::atomic<size_t>& next, const std::vector<size_t>& order);
  Status download(LayerJob& job);
  Status fetch_into(LayerJob& job, store::Writer& sink);
  Status wait_for_other_download(LayerJob& job);
  Status unpack(LayerJob& job);
  Status add_layer_from(LayerJob& job, store::Reader& source);
  void fail(const Error& error);
  Result<PullResult> record(const ImageManifest& manifest, const ImageConfig& config);

  ImageStore& store_;
  RegistryApi& registry_;
  Reference ref_;
  RemoteRepository repo_;
  const PullOptions& options_;
  ProgressOutput& progress_;
  Lease lease_;

  // What the reference resolved to.
  RemoteManifest top_;
  std::optional<RemoteManifest> platform_manifest_;  // set when top_ is an index
  std::vector<LayerJob> jobs_;

  std::atomic<bool> failed_{false};
  std::mutex error_mutex_;
  std::optional<Error> first_error_;
};

void Puller::fail(const Error& error) {
  std::lock_guard lock(error_mutex_);
  // The first real failure explains the rest (which are cancellations it caused).
  if (!first_error_) first_error_ = error;
  failed_ = true;
  for (auto& job : jobs_) {
    if (job.pipe) job.pipe->abandon();
  }
}

Result<ImageManifest> Puller::resolve() {
  std::string reference = ref_.has_digest() ? ref_.digest()->to_string() : ref_.tag();
  std::vector<std::string> accept(std::begin(media::kManifestAccept),
                                  std::end(media::kManifestAccept));
  top_ = TRY(registry_.get_manifest(repo_, reference, accept));
  TRY(verify_manifest_digest(top_, ref_.digest()));
  auto any = parse_any_manifest(top_.bytes, top_.media_type);
  if (!any.ok()) {
    if (any.error().code() == ErrorCode::kUnimplemented)
      return schema1_error(ref_.familiar_string());
    return std::move(any).error();
  }
  if (auto* index = std::get_if<ImageIndex>(&*any)) return select_from_index(*index);
  auto manifest = std::get<ImageManifest>(std::move(*any));
  return manifest;
}

Result<ImageManifest> Puller::select_from_index(const ImageIndex& index) {
  Platform want = options_.platform.value_or(host_platform());
  std::vector<Platform> platforms;
  std::vector<size_t> candidates;
  for (size_t i = 0; i < index.manifests.size(); ++i) {
    const Descriptor& d = index.manifests[i];
    if (!media::is_manifest(d.media_type)) continue;
    // BuildKit's attestation manifests say "unknown/unknown"; entries without a platform are
    // taken to be for any platform, as containerd does.
    platforms.push_back(d.platform.value_or(want));
    candidates.push_back(i);
  }
  auto best = best_platform(want, platforms);
  if (!best) {
    return make_error(ErrorCode::kNotFound,
                      "no matching manifest for {} in the manifest list entries",
                      format_platform(want));
  }
  const Descriptor& chosen = index.manifests[candidates[*best]];
  std::vector<std::string> accept = {std::string(media::kOciManifest),
                                     std::string(media::kDockerManifest)};
  auto m = TRY(registry_.get_manifest(repo_, chosen.digest.to_string(), accept));
  TRY(verify_manifest_digest(m, chosen.digest));
  if (static_cast<int64_t>(m.bytes.size()) != chosen.size) {
    return make_error(ErrorCode::kDataLoss, "manifest {}: size {} does not match the index's {}",
                      chosen.digest.to_string(), m.bytes.size(), chosen.size);
  }
  auto manifest =
      TRY(parse_image_manifest(m.bytes, m.media_type.empty() ? chosen.media_type : m.media_type));
  platform_manifest_ = std::move(m);
  return manifest;
}

Result<ImageConfig> Puller::fetch_config(const ImageManifest& manifest) {
  const Descriptor& d = manifest.config;
  if (!media::is_config(d.media_type)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "unsupported image config media type {} (not a container image?)",
                      d.media_type);
  }
  if (d.size > kMaxConfigSize) {
    return make_error(ErrorCode::kInvalidArgument, "image config {} is too large ({} bytes)",
                      d.digest.to_string(), d.size);
  }
  lease_.pin_blob(d.digest);
  std::string bytes;
  if (store_.content().exists(d.digest)) {
    bytes = TRY(store_.content().read_blob(d.digest, static_cast<uint64_t>(kMaxConfigSize)));
  } else {
    store::StringWriter sink(&bytes);
    TRY_CTX(registry_.fetch_blob(repo_, d.digest, d.size, sink, nullptr),
            "config " + d.digest.to_string());
    TRY(store_.content().write_blob(bytes, d.digest));
  }
  auto config = TRY_CTX(parse_image_config(bytes), "config " + d.digest.to_string());
  if (options_.platform && !platform_matches(*options_.platform, config.platform())) {
    return make_error(ErrorCode::kNotFound,
                      "image with reference {} was found but does not match the specified "
                      "platform: wanted {}, actual: {}",
                      ref_.familiar_string(), format_platform(*options_.platform),
                      format_platform(config.platform()));
  }
  return config;
}

Status Puller::plan_layers(const ImageManifest& manifest, const ImageConfig& config) {
  if (manifest.layers.size() != config.diff_ids.size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "image {}: the manifest has {} layers, the config {} diff_ids",
                      ref_.familiar_string(), manifest.layers.size(), config.diff_ids.size());
  }
  auto chains = store::chain_ids(config.diff_ids);
  bool below_missing = false;
  for (size_t i = 0; i < manifest.layers.size(); ++i) {
    LayerJob job;
    job.desc = manifest.layers[i];
    if (!media::is_layer(job.desc.media_type)) {
      return make_error(ErrorCode::kUnimplemented, "unsupported layer media type {}",
                        job.desc.media_type);
    }
    job.diff_id = config.diff_ids[i];
    job.chain_id = chains[i];
    if (i > 0) job.parent = chains[i - 1];
    job.id = short_id(job.desc.digest.to_string());
    // Pin before looking, so a concurrent GC cannot remove what we find.
    lease_.pin_layer(job.chain_id);
    lease_.pin_blob(job.desc.digest);
    job.need_unpack = below_missing || !store_.snapshots().has_layer(job.chain_id);
    below_missing = job.need_unpack;
    job.need_download = job.need_unpack && !store_.content().exists(job.desc.digest);
    if (job.need_download) job.pipe = std::make_unique<LayerPipe>(options_.pipe_capacity);
    jobs_.push_back(std::move(job));
  }
  return {};
}

Status Puller::fetch_into(LayerJob& job, store::Writer& sink) {
  auto on_progress = [&](int64_t current, int64_t total) {
    progress_.progress(job.id, "Downloading", current, total > 0 ? total : job.desc.size);
  };
  // Foreign layers live at their urls (Docker fetches them there); when every URL fails before
  // sending anything, the registry may still have the blob.
  if (!job.desc.urls.empty()) {
    const UrlFetcher& fetch = options_.fetch_url ? options_.fetch_url : http_fetch;
    store::DigestingWriter counted(&sink);
    std::optional<Error> last;
    for (const auto& url : job.desc.urls) {
      auto st = fetch(url, counted, on_progress);
      if (st.ok()) return {};
      if (st.error().code() == ErrorCode::kCancelled || counted.size() > 0) {
        // Bytes are in the ingest already; another source cannot continue where this stopped.
        return std::move(st).error().context("foreign layer " + job.id);
      }
      log::warn("foreign layer {}: {}", job.id, st.error().to_string());
      last = std::move(st).error();
    }
    auto st = registry_.fetch_blob(repo_, job.desc.digest, job.desc.size, sink, on_progress);
    if (!st.ok() && last) return std::move(*last).context("foreign layer " + job.id);
    return st;
  }
  return registry_.fetch_blob(repo_, job.desc.digest, job.desc.size, sink, on_progress);
}

Status Puller::wait_for_other_download(LayerJob& job) {
  // Another pull is downloading the same blob: let it, and unpack its result.
  job.pipe->skip();
  progress_.update(job.id, "Waiting");
  while (!store_.content().exists(job.desc.digest)) {
    if (options_.stop.stop_requested() || failed_) return cancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto w = store_.content().writer(job.desc.digest.to_string(), job.desc.digest,
                                     static_cast<uint64_t>(job.desc.size));
    if (w.ok()) {
      // The other download gave up; ours takes over (without the pipe, already skipped).
      LayerSink sink(*w, nullptr, options_.stop, failed_);
      TRY(fetch_into(job, sink));
      TRY(w->commit());
      return {};
    }
    if (w.error().code() != ErrorCode::kConflict) return std::move(w).error();
  }
  return {};
}

Status Puller::download(LayerJob& job) {
  if (options_.stop.stop_requested() || failed_) return cancelled();
  auto writer = store_.content().writer(job.desc.digest.to_string(), job.desc.digest,
                                        static_cast<uint64_t>(job.desc.size));
  if (!writer.ok()) {
    if (writer.error().code() == ErrorCode::kConflict) return wait_for_other_download(job);
    return std::move(writer).error();
  }
  LayerSink sink(*writer, job.pipe.get(), options_.stop, failed_);
  TRY(fetch_into(job, sink));
  // The client verified size and digest: the unpack may finish while the blob is fsynced. The
  // image is recorded only after both (unpack() waits for close()).
  job.pipe->end_data();
  progress_.update(job.id, "Verifying Checksum");
  TRY(writer->commit());
  progress_.update(job.id, "Download complete");
  return {};
}

void Puller::download_worker(std::atomic<size_t>& next, const std::vector<size_t>& order) {
  while (true) {
    size_t k = next++;
    if (k >= order.size()) return;
    LayerJob& job = jobs_[order[k]];
    Status st = download(job);
    if (!st.ok()) {
      Error err = std::move(st).error();
      // The digest names the layer in the message, as Docker's do.
      if (err.code() != ErrorCode::kCancelled) {
        err.with_context("layer " + job.desc.digest.to_string());
        fail(err);
      }
      job.pipe->close(std::move(err));
    } else {
      job.pipe->close({});
    }
  }
}

Status Puller::add_layer_from(LayerJob& job, store::Reader& source) {
  ExtractReader counted(
      source, [&](int64_t done) { progress_.progress(job.id, "Extracting", done, job.desc.size); },
      options_.stop);
  // Decompression on its own thread, file writing on this one.
  DecompressThread plain(counted);
  auto info = store_.snapshots().add_layer(job.parent, plain, job.diff_id);
  if (!info.ok()) return std::move(info).error();
  if (info->chain_id != job.chain_id) {
    return make_error(ErrorCode::kDataLoss, "layer {}: chain ID {} where {} was expected", job.id,
                      info->chain_id.to_string(), job.chain_id.to_string());
  }
  return {};
}

Status Puller::unpack(LayerJob& job) {
  if (job.pipe && job.pipe->attach()) {
    LayerPipe::PipeReader pipe_reader(*job.pipe);
    Status st = add_layer_from(job, pipe_reader);
    job.pipe->release();
    if (st.ok()) {
      // The layer is there; its blob must be too before the image may be recorded.
      TRY(job.pipe->wait_closed());
      return {};
    }
    if (!job.pipe->skipped()) {
      // A download error explains an unpack that ran out of data.
      Status download = job.pipe->wait_closed();
      if (!download.ok()) return download;
      return st;
    }
  }
  if (job.pipe) TRY(job.pipe->wait_closed());
  auto fd = TRY(store_.content().open_blob(job.desc.digest));
  store::FdReader blob(fd.get());
  return add_layer_from(job, blob);
}

Status Puller::transfer_layers() {
  bool any_missing =
      std::any_of(jobs_.begin(), jobs_.end(), [](const LayerJob& j) { return j.need_unpack; });
  // An image that is complete already gets no per-layer lines, as with Docker.
  if (!any_missing) return {};
  std::vector<size_t> downloads;
  for (size_t i = 0; i < jobs_.size(); ++i) {
    LayerJob& job = jobs_[i];
    if (!job.need_unpack) {
      progress_.update(job.id, "Already exists");
    } else {
      progress_.update(job.id, "Pulling fs layer");
      if (job.need_download) downloads.push_back(i);
    }
  }
  size_t workers = std::min<size_t>(
      downloads.size(), static_cast<size_t>(std::max(1, options_.max_concurrent_downloads)));
  for (size_t k = workers; k < downloads.size(); ++k) {
    progress_.update(jobs_[downloads[k]].id, "Waiting");
  }
  std::atomic<size_t> next{0};
  std::vector<std::jthread> threads;
  for (size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&] { download_worker(next, downloads); });
  }
  for (auto& job : jobs_) {
    if (!job.need_unpack) continue;
    if (failed_) break;
    Status st = unpack(job);
    if (!st.ok()) {
      Error err = std::move(st).error();
      if (err.code() != ErrorCode::kCancelled)
        err.with_context("layer " + job.desc.digest.to_string());
      fail(err);
      break;
    }
    progress_.update(job.id, "Pull complete");
  }
  threads.clear();  // joins
  if (options_.stop.stop_requested() && !first_error_) return cancelled();
  if (first_error_) return *first_error_;
  return {};
}

Result<PullResult> Puller::record(const ImageManifest& manifest, const ImageConfig& config) {
  NewImage image;
  image.id = manifest.config.digest;
  image.config_media_type = manifest.config.media_type;
  image.config = config;
  image.format = manifest.is_oci() ? ManifestFormat::kOci : ManifestFormat::kDocker;
  for (const auto& job : jobs_) {
    image.layers.push_back({job.diff_id, job.chain_id});
    image.size += static_cast<int64_t>(TRY(store_.snapshots().layer(job.chain_id)).size);
    if (store_.content().exists(job.desc.digest)) {
      image.layer_blobs.push_back(
          {job.diff_id, job.desc.digest, job.desc.media_type, job.desc.size, job.desc.urls});
      if (!media::is_non_distributable(job.desc.media_type)) {
        image.sources.push_back({job.desc.digest, repo_.registry, repo_.path});
      }
    }
  }
  image.sources.push_back({manifest.config.digest, repo_.registry, repo_.path});
  // The manifests go into the content store before the metadata that names them.
  const RemoteManifest& platform = platform_manifest_ ? *platform_manifest_ : top_;
  lease_.pin_blob(platform.digest);
  lease_.pin_blob(top_.digest);
  TRY(store_.content().write_blob(platform.bytes, platform.digest));
  image.manifests.push_back(
      {platform.digest, manifest.media_type, static_cast<int64_t>(platform.bytes.size())});
  if (platform_manifest_) {
    TRY(store_.content().write_blob(top_.bytes, top_.digest));
    auto index_type = top_.media_type.empty() ? std::string(media::kOciIndex) : top_.media_type;
    image.manifests.push_back({top_.digest, index_type, static_cast<int64_t>(top_.bytes.size())});
  }
  image.repo_digests.push_back(ref_.with_digest(top_.digest));
  bool up_to_date = store_.exists(image.id);
  if (ref_.has_tag() && !ref_.has_digest()) {
    image.tags.push_back(ref_);
    auto current = store_.lookup_reference(ref_);
    up_to_date = current.ok() && *current == image.id;
  }
  TRY(store_.sync_layers());
  TRY(store_.commit(image));
  return PullResult{image.id, top_.digest, !up_to_date};
}

Result<PullResult> Puller::run() {
  std::string shown = ref_.has_digest() ? ref_.digest()->to_string() : ref_.tag();
  progress_.message(shown, "Pulling from " + ref_.path());
  auto manifest = TRY(resolve());
  auto config = TRY(fetch_config(manifest));
  TRY(plan_layers(manifest, config));
  TRY(transfer_layers());
  if (options_.stop.stop_requested()) return cancelled();
  auto result = TRY(record(manifest, config));
  progress_.message("", "Digest: " + result.digest.to_string());
  progress_.message("", std::string(result.updated ? "Status: Downloaded newer image for "
                                                   : "Status: Image is up to date for ") +
                            ref_.familiar_string());
  return result;
}

}  // namespace

Result<PullResult> pull_image(ImageStore& store, RegistryApi& registry, const Reference& ref,
                              const PullOptions& options, ProgressOutput& progress) {
  Result<PullResult> result = Error(ErrorCode::kInternal, "unset");
  {
    Puller puller(store, registry, ref, options, progress);
    result = puller.run();
  }  // the lease ends here
  if (!result.ok()) {
    // Whatever the failed pull left (blobs, layers) is unreferenced now.
    auto gc = store.collect_garbage();
    if (!gc.ok()) log::warn("pull cleanup: {}", gc.error().to_string());
  }
  return result;
}

}  // namespace berth::image
