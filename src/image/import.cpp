#include "image/import.h"

#include <thread>

#include "base/log.h"
#include "base/time_format.h"
#include "image/change_parser.h"
#include "image/layer_pipe.h"
#include "image/media_types.h"
#include "store/archive/compression.h"
#include "store/fs/dir_ops.h"

namespace berth::image {

namespace {

Error cancelled() {
  return Error(ErrorCode::kCancelled, "import cancelled");
}

// Counts the bytes read, for "Importing" progress and cancellation.
class CountingReader final : public store::Reader {
 public:
  CountingReader(store::Reader& in, ProgressOutput* progress, const std::stop_token& stop)
      : in_(in), progress_(progress), stop_(stop) {}
  Result<size_t> read(char* buf, size_t len) override {
    if (stop_.stop_requested()) return cancelled();
    size_t n = TRY(in_.read(buf, len));
    total_ += static_cast<int64_t>(n);
    if (progress_ != nullptr) progress_->progress("", "Importing", total_, 0);
    return n;
  }

 private:
  store::Reader& in_;
  ProgressOutput* progress_;
  const std::stop_token& stop_;
  int64_t total_ = 0;
};

class PipeWriter final : public store::Writer {
 public:
  explicit PipeWriter(LayerPipe& pipe) : pipe_(pipe) {}
  Status write(std::string_view data) override { return pipe_.offer(data); }

 private:
  LayerPipe& pipe_;
};

Result<store::Digest> import_locked(ImageStore& store, Lease& lease, store::Reader& tarball,
                                    const ImportOptions& options, ProgressOutput* progress) {
  // Parse the changes first: a typo should not cost a whole import.
  ContainerConfig container;
  TRY(apply_changes(container, options.changes));

  // Tarball -> decompress -> (DiffID hash) -> gzip -> content store.
  CountingReader counted(tarball, progress, options.stop);
  store::DecompressingReader plain(counted);
  auto writer = TRY(store.content().writer("import-" + store::fs::random_id(16)));
  store::CompressingWriter gzip(writer, store::Compression::kGzip);
  store::DigestingWriter tar(&gzip);
  TRY_CTX(store::copy_stream(plain, tar), "import");
  TRY(gzip.finish());
  store::Digest diff_id = tar.digest();
  lease.pin_blob(writer.digest());
  int64_t blob_size = static_cast<int64_t>(writer.size());
  store::Digest blob = TRY(writer.commit());

  lease.pin_layer(diff_id);
  auto fd = TRY(store.content().open_blob(blob));
  store::FdReader blob_reader(fd.get());
  auto layer = TRY_CTX(store.snapshots().add_layer(std::nullopt, blob_reader, diff_id), "import");

  int64_t created = options.created_ns != 0 ? options.created_ns : unix_nanos_now();
  Platform platform = options.platform.value_or(host_platform());
  std::string message =
      options.message.empty() ? "Imported from " + options.source : options.message;
  ImageConfig config;
  config.created_ns = created;
  config.architecture = platform.architecture;
  config.os = platform.os.empty() ? "linux" : platform.os;
  config.variant = platform.variant;
  config.config = container;
  config.comment = message;
  config.diff_ids = {diff_id};
  config.history = {HistoryEntry{created, "", "", message, false}};
  std::string config_bytes = serialize_image_config(config);
  store::Digest id = store::Digest::of(config_bytes);
  lease.pin_blob(id);
  TRY(store.content().write_blob(config_bytes, id));

  NewImage image;
  image.id = id;
  image.config_media_type = media::kDockerConfig;
  image.config = config;
  image.layers = {{diff_id, layer.chain_id}};
  image.size = static_cast<int64_t>(layer.size);
  image.format = ManifestFormat::kDocker;
  image.layer_blobs = {{diff_id, blob, std::string(media::kDockerLayerGzip), blob_size, {}}};
  if (options.tag) image.tags = {options.tag->tag_or_latest()};
  TRY(store.sync_layers());
  TRY(store.commit(image));
  return id;
}

void cleanup_after_failure(ImageStore& store) {
  auto gc = store.collect_garbage();
  if (!gc.ok()) log::warn("import cleanup: {}", gc.error().to_string());
}

}  // namespace

Result<store::Digest> import_image(ImageStore& store, store::Reader& tarball,
                                   const ImportOptions& options, ProgressOutput* progress) {
  if (options.tag && options.tag->has_digest()) {
    return Error(ErrorCode::kInvalidArgument, "cannot import digest reference");
  }
  Result<store::Digest> result = Error(ErrorCode::kInternal, "unset");
  {
    Lease lease = store.lease();
    result = import_locked(store, lease, tarball, options, progress);
  }
  if (!result.ok()) cleanup_after_failure(store);
  return result;
}

Result<store::Digest> import_image_from_url(ImageStore& store, const std::string& url,
                                            const ImportOptions& options, ProgressOutput* progress,
                                            const UrlFetcher& fetch) {
  LayerPipe pipe(4 << 20);
  pipe.attach();
  Status download_status;
  std::thread downloader([&] {
    const UrlFetcher& f = fetch ? fetch : http_fetch;
    PipeWriter sink(pipe);
    if (progress != nullptr) progress->message("", "Downloading from " + url);
    download_status = f(url, sink, nullptr);
    pipe.close(download_status);
  });
  LayerPipe::PipeReader reader(pipe);
  ImportOptions opts = options;
  if (opts.source == "-") opts.source = url;
  auto result = import_image(store, reader, opts, progress);
  if (!result.ok()) pipe.abandon();
  downloader.join();
  if (!result.ok() && !download_status.ok() &&
      download_status.error().code() != ErrorCode::kCancelled) {
    return download_status.error();
  }
  return result;
}

}  // namespace berth::image
