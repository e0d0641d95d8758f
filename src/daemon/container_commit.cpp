#include "daemon/container_commit.h"

#include "base/log.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "image/change_parser.h"
#include "image/image_config.h"
#include "image/media_types.h"
#include "image/reference.h"
#include "store/archive/layer_diff.h"
#include "store/fs/dir_ops.h"

namespace berth::daemon {
namespace {

std::string env_key(const std::string& kv) { return kv.substr(0, kv.find('=')); }

// dockerd's merge(userConf, imageConf): what the user did not set comes from the container.
void merge_config(image::ContainerConfig& user, const image::ContainerConfig& from) {
  if (user.user.empty()) user.user = from.user;
  if (!user.exposed_ports || user.exposed_ports->empty()) {
    user.exposed_ports = from.exposed_ports;
  } else if (from.exposed_ports) {
    for (const auto& port : *from.exposed_ports) {
      if (std::find(user.exposed_ports->begin(), user.exposed_ports->end(), port) ==
          user.exposed_ports->end())
        user.exposed_ports->push_back(port);
    }
  }
  if (!user.env || user.env->empty()) {
    user.env = from.env;
  } else if (from.env) {
    for (const auto& kv : *from.env) {
      bool found = false;
      for (const auto& mine : *user.env) found = found || env_key(mine) == env_key(kv);
      if (!found) user.env->push_back(kv);
    }
  }
  if (!user.labels) user.labels.emplace();
  if (from.labels) {
    for (const auto& [k, v] : *from.labels) user.labels->emplace(k, v);
  }
  if (!user.entrypoint || user.entrypoint->empty()) {
    if (!user.cmd || user.cmd->empty()) {
      user.cmd = from.cmd;
      user.args_escaped = from.args_escaped;
    }
    if (!user.entrypoint) user.entrypoint = from.entrypoint;
  }
  if (from.healthcheck) {
    if (!user.healthcheck) {
      user.healthcheck = from.healthcheck;
    } else {
      auto& h = *user.healthcheck;
      if (h.test.empty()) h.test = from.healthcheck->test;
      if (h.interval_ns == 0) h.interval_ns = from.healthcheck->interval_ns;
      if (h.timeout_ns == 0) h.timeout_ns = from.healthcheck->timeout_ns;
      if (h.start_period_ns == 0) h.start_period_ns = from.healthcheck->start_period_ns;
      if (h.start_interval_ns == 0) h.start_interval_ns = from.healthcheck->start_interval_ns;
      if (h.retries == 0) h.retries = from.healthcheck->retries;
    }
  }
  if (user.working_dir.empty()) user.working_dir = from.working_dir;
  if (!user.volumes || user.volumes->empty()) {
    user.volumes = from.volumes;
  } else if (from.volumes) {
    for (const auto& v : *from.volumes) {
      if (std::find(user.volumes->begin(), user.volumes->end(), v) == user.volumes->end())
        user.volumes->push_back(v);
    }
  }
  if (user.stop_signal.empty()) user.stop_signal = from.stop_signal;
}

struct Snapshot {
  Container c;
  bool running = false;
};

}  // namespace

Result<store::Digest> commit_container(ContainerService& service,
                                       const CommitOptions& options) {
  const ServiceDeps& deps = service.deps();
  image::ImageStore& images = *deps.images;
  ContainerRef entry = TRY(service.store().lookup(options.container));
  Snapshot snap;
  {
    std::lock_guard lock(entry->mutex);
    snap.c = entry->c;
    if (snap.c.state.status == ContainerStatus::kRemoving || snap.c.state.status == ContainerStatus::kDead)
      return make_error(ErrorCode::kConflict, "You cannot commit container {} which is being removed", snap.c.id);
    snap.running = snap.c.state.status == ContainerStatus::kRunning;
  }
  const Container& c = snap.c;

  // The request's config and changes first: a typo should not cost a layer.
  image::ContainerConfig config;
  if (options.config.is_object()) config = TRY(image::parse_container_config(options.config, "config"));
  TRY(image::apply_changes(config, options.changes));
  image::ContainerConfig container_config = TRY(image::parse_container_config(c.config, "Config"));
  merge_config(config, container_config);
  std::optional<image::Reference> tag;
  if (!options.repo.empty()) {
    auto ref = TRY(image::Reference::parse_normalized(options.repo));
    if (ref.has_digest()) return Error(ErrorCode::kInvalidArgument, "cannot commit to a digest reference");
    tag = options.tag.empty() ? ref.tag_or_latest() : ref.with_tag(options.tag);
  }

  store::Digest parent_id = TRY(store::Digest::parse(c.image_id));
  image::ImageRecord parent = TRY(images.get(parent_id));
  image::ImageConfig parent_config = TRY(images.config(parent_id));
  store::ActiveInfo active = TRY(images.snapshots().active(c.snapshot_key));
  std::vector<std::string> lowers = TRY(images.snapshots().layer_dirs(active.parent));

  image::Lease lease = images.lease();
  bool paused = false;
  if (snap.running && options.pause) paused = deps.runtime->pause(c.id).ok();
  auto resume = ScopeExit([&] {
    if (paused) (void)deps.runtime->resume(c.id);
  });
  auto writer = TRY(images.content().writer("commit-" + store::fs::random_id(16)));
  store::DiffOptions diff;
  diff.compression = store::Compression::kGzip;
  store::ArchiveResult layer = TRY_CTX(store::write_layer_diff(lowers, active.upper, writer, diff),
                                       "commit: write the layer");
  if (paused) {
    (void)deps.runtime->resume(c.id);
    paused = false;
  }

  bool empty_layer = layer.entries == 0;
  std::vector<image::ImageLayer> layers = parent.layers;
  std::vector<image::LayerBlob> blobs;
  int64_t size = parent.size;
  if (empty_layer) {
    writer.abort();
  } else {
    lease.pin_blob(layer.digest);
    store::Digest blob = TRY(writer.commit());
    lease.pin_layer(layer.diff_id);
    auto fd = TRY(images.content().open_blob(blob));
    store::FdReader reader(fd.get());
    store::LayerInfo info = TRY_CTX(images.snapshots().add_layer(parent.top_layer, reader, layer.diff_id),
                                    "commit: unpack the layer");
    layers.push_back({layer.diff_id, info.chain_id});
    blobs.push_back({layer.diff_id, blob, std::string(image::media::kDockerLayerGzip),
                     static_cast<int64_t>(layer.size), {}});
    size += static_cast<int64_t>(info.size);
  }

  int64_t created = unix_nanos_now();
  image::ImageConfig out;
  out.created_ns = created;
  out.author = options.author;
  out.comment = options.comment;  // docker commit -m: image inspect's "Comment"
  out.architecture = parent_config.architecture;
  out.os = parent_config.os.empty() ? "linux" : parent_config.os;
  out.os_version = parent_config.os_version;
  out.os_features = parent_config.os_features;
  out.variant = parent_config.variant;
  out.config = config;
  out.container = c.id;
  out.container_config = container_config;
  out.diff_ids = parent_config.diff_ids;
  if (!empty_layer) out.diff_ids.push_back(layer.diff_id);
  out.history = parent_config.history;
  std::string created_by = container_config.cmd ? join(*container_config.cmd, " ") : "";
  out.history.push_back(
      image::HistoryEntry{created, created_by, options.author, options.comment, empty_layer});
  std::string bytes = image::serialize_image_config(out);
  store::Digest id = store::Digest::of(bytes);
  lease.pin_blob(id);
  TRY(images.content().write_blob(bytes, id));

  image::NewImage record;
  record.id = id;
  record.config_media_type = image::media::kDockerConfig;
  record.config = out;
  record.layers = layers;
  record.size = size;
  record.parent = parent_id;
  record.format = image::ManifestFormat::kDocker;
  record.layer_blobs = blobs;
  if (tag) record.tags = {*tag};
  TRY(images.sync_layers());
  TRY(images.commit(record));

  std::map<std::string, std::string> attrs = {{"comment", options.comment},
                                              {"imageID", id.to_string()}};
  if (tag) attrs["imageRef"] = tag->familiar_string();
  service.publish(c, "commit", attrs);
  return id;
}

}  // namespace berth::daemon
