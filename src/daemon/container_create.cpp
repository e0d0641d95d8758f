// POST /containers/create: validate, merge the image's config, reserve the name, prepare the
// writable layer, record the container. Nothing runs yet.
#include <sys/stat.h>

#include "base/file_util.h"
#include "base/scope_exit.h"
#include "base/time_format.h"
#include "cspec/adapt_host_config.h"
#include "cspec/docker_json.h"
#include "cspec/create_request.h"
#include "cspec/merge_image_config.h"
#include "cspec/mount_request.h"
#include "cspec/validate_create.h"
#include "daemon/container_service.h"
#include "daemon/names.h"
#include "daemon/volumes_from.h"

namespace berth::daemon {
namespace {

Result<Json> image_container_config(image::ImageStore& images, const store::Digest& id) {
  std::string bytes = TRY(images.config_bytes(id));
  Json config = TRY(parse_json(bytes, "image config"));
  if (config.contains("config") && config["config"].is_object()) return config["config"];
  return Json();
}

}  // namespace

Result<CreateResult> ContainerService::create(const Json& body, const std::string& raw_name) {
  cspec::CreateRequest request = TRY(cspec::split_create_body(body));
  CreateResult result;
  result.warnings = TRY(cspec::validate_create_request(request, deps_.host));

  std::string image_name = TRY(cspec::get_string(request.config, "Image", "Config"));
  if (image_name.empty())
    return Error(ErrorCode::kInvalidArgument, "config cannot be empty in order to create a container");
  image::ImageRecord image = TRY(deps_.images->resolve(image_name));

  std::string name;
  bool reserved = false;
  if (raw_name.empty()) {
    // Reserved until the container is in the store: concurrent creates (there are only ~1000
    // generated names) must not pick the same one and fail with a conflict.
    std::lock_guard names(reserved_names_mutex_);
    name = generate_name([&](const std::string& n) {
      return reserved_names_.count(n) > 0 || deps_.containers->name_in_use(n);
    });
    reserved_names_.insert(name);
    reserved = true;
  } else {
    TRY(validate_container_name(raw_name));
    name = normalize_container_name(raw_name);
  }
  auto release_name = ScopeExit([&] {
    if (!reserved) return;
    std::lock_guard names(reserved_names_mutex_);
    reserved_names_.erase(name);
  });
  if (deps_.containers->name_in_use(name)) {
    auto other = deps_.containers->lookup(name);
    return make_error(ErrorCode::kConflict,
                      "Conflict. The container name \"/{}\" is already in use by container \"{}\". "
                      "You have to remove (or rename) that container to be able to reuse that name.",
                      name, other.ok() ? (*other)->c.id : std::string());
  }

  Container c;
  c.id = generate_id();
  c.name = name;
  c.created_ns = unix_nanos_now();
  c.image_id = image.id.to_string();
  c.image_name = image_name;
  Json image_config = TRY(image_container_config(*deps_.images, image.id));
  std::string network_mode = request.host_config.value("NetworkMode", std::string());
  cspec::MergeOptions merge;
  merge.container_id = c.id;
  merge.host_network = network_mode == "host";
  merge.host_hostname = deps_.host.hostname;
  c.config = TRY(cspec::merge_image_config(request.config, image_config, merge));
  c.host_config = TRY(cspec::adapt_host_config(request.host_config, deps_.host));
  // As dockerd: the daemon's default log driver and options are recorded at create, so inspect
  // shows the driver in use (the Docker SDK's containers.run reads it to decide on logs).
  {
    Json& log = c.host_config["LogConfig"];
    if (!log.is_object()) log = Json::object();
    if (log.value("Type", std::string()).empty()) log["Type"] = deps_.config->log_driver;
    if (!log.contains("Config") || !log["Config"].is_object()) log["Config"] = Json::object();
    if (log["Type"] == deps_.config->log_driver) {
      for (const auto& [k, v] : deps_.config->log_opts) {
        if (!log["Config"].contains(k)) log["Config"][k] = v;
      }
    }
  }
  c.networking_config = request.networking_config;
  c.platform = image.platform.os.empty() ? "linux" : image.platform.os;
  if (deps_.network) TRY(deps_.network->prepare(c));

  // Mounts: binds and tmpfs now; named and anonymous volumes through the volume service.
  auto release_volumes = ScopeExit([&] {
    if (deps_.volumes) {
      for (const auto& m : c.mounts) deps_.volumes->release(m, c, true);
    }
  });
  auto requests = TRY(cspec::read_mount_requests(c.host_config, deps_.host.daemon));
  for (const auto& req : requests) {
    MountPoint m;
    m.type = req.type;
    m.destination = req.destination;
    m.rw = !req.read_only;
    m.mode = req.mode;
    m.propagation = req.propagation;
    if (req.type == "bind") {
      m.source = req.source;
      if (req.from_binds || req.create_mountpoint) {
        // -v creates a missing host directory, as Docker does (--mount does not, unless asked).
        if (!path_exists(m.source)) TRY_CTX(make_dirs(m.source, 0755), "create bind source");
      }
    } else if (req.type == "tmpfs") {
      m.tmpfs_options = req.tmpfs_data;
    } else if (req.type == "volume") {
      if (deps_.volumes == nullptr)
        return Error(ErrorCode::kUnimplemented, "volumes are not available in this daemon");
      m = TRY(deps_.volumes->acquire(req, c));
    }
    c.mounts.push_back(std::move(m));
  }
  TRY(add_mounts_from_containers(*deps_.containers, deps_.volumes, c));
  // The image's VOLUMEs not covered by a mount become anonymous volumes.
  if (c.config.contains("Volumes") && c.config["Volumes"].is_object() && deps_.volumes) {
    for (auto& [dest, unused] : c.config["Volumes"].items()) {
      std::string clean = clean_path(dest);
      bool covered = false;
      for (const auto& m : c.mounts) covered = covered || m.destination == clean;
      if (covered) continue;
      cspec::MountRequest anon;
      anon.type = "volume";
      anon.destination = clean;
      anon.copy_data = true;
      c.mounts.push_back(TRY(deps_.volumes->acquire(anon, c)));
    }
  }

  std::string files = deps_.config->containers_dir() + "/" + c.id;
  TRY(make_dirs(files, 0710));
  auto remove_files = ScopeExit([&] { (void)remove_all(files); });
  c.log_path = files + "/" + c.id + "-json.log";
  c.hostname_path = files + "/hostname";
  c.hosts_path = files + "/hosts";
  c.resolv_conf_path = files + "/resolv.conf";

  c.snapshot_key = c.id;
  TRY_CTX(deps_.images->snapshots().prepare_active(c.snapshot_key, image.top_layer),
          "prepare the container's writable layer");
  auto remove_layer = ScopeExit([&] { (void)deps_.images->snapshots().remove_active(c.snapshot_key); });

  TRY(deps_.containers->add(c));
  release_volumes.dismiss();
  remove_files.dismiss();
  remove_layer.dismiss();
  publish(c, "create");
  result.id = c.id;
  return result;
}

}  // namespace berth::daemon
