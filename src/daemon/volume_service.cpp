// The volume service's start-up and its /volumes operations.
#include "daemon/volume_service.h"

#include <fmt/ranges.h>

#include <algorithm>

#include "base/file_util.h"
#include "base/log.h"
#include "base/time_format.h"
#include "cspec/docker_json.h"
#include "daemon/names.h"
#include "image/filters.h"
#include "store/fs/dir_ops.h"

namespace berth::daemon {

Result<std::unique_ptr<VolumeService>> VolumeService::open(VolumeServiceOptions options) {
  std::unique_ptr<VolumeService> service(new VolumeService(std::move(options)));
  TRY(service->start_up());
  return service;
}

std::string VolumeService::volume_dir(const std::string& name) const {
  return options_.data_root + "/volumes/" + name;
}

std::string VolumeService::data_dir(const std::string& name) const {
  return volume_dir(name) + "/_data";
}

Status VolumeService::start_up() {
  store_ = TRY(VolumeStore::open(*options_.database));
  TRY(make_dirs(options_.data_root + "/volumes", 0701));
  for (auto& v : TRY(store_->load())) volumes_[v.name] = std::move(v);
  for (const ContainerRef& entry : options_.containers->list()) {
    std::lock_guard lock(entry->mutex);
    for (const auto& m : entry->c.mounts) {
      if (m.type == "volume" && !m.name.empty()) users_[m.name].insert(entry->c.id);
    }
  }
  std::lock_guard lock(mu_);
  for (const auto& [name, users] : users_) {
    auto it = volumes_.find(name);
    if (it == volumes_.end() || !it->second.needs_mount()) continue;
    if (auto st = mount_locked(it->second); !st.ok())
      log::warn("volume {}: {}", name, st.error().to_string());
  }
  return ok_status();
}

Result<const Volume*> VolumeService::find_locked(const std::string& name) const {
  auto it = volumes_.find(name);
  if (it == volumes_.end()) return make_error(ErrorCode::kNotFound, "get {}: no such volume", name);
  return &it->second;
}

void VolumeService::publish_event(const std::string& action, const Volume& volume) {
  if (options_.events == nullptr) return;
  Event e;
  e.type = "volume";
  e.action = action;
  e.actor_id = volume.name;
  e.attributes = {{"driver", volume.driver}};
  options_.events->publish(std::move(e));
}

Result<Volume> VolumeService::create_locked(const std::string& name, const std::string& driver,
                                            std::map<std::string, std::string> options,
                                            std::map<std::string, std::string> labels) {
  std::string d = driver.empty() ? "local" : driver;
  if (auto it = volumes_.find(name); it != volumes_.end()) {
    if (it->second.driver != d) {
      return make_error(ErrorCode::kConflict,
                        "create {}: a volume with the name {} already exists with driver {:?}",
                        name, name, it->second.driver);
    }
    return it->second;  // Docker hands back the existing volume
  }
  if (d != "local") {
    return make_error(ErrorCode::kNotFound, "error looking up volume plugin {}: plugin {:?} not found",
                      d, d);
  }
  if (auto st = validate_volume_name(name); !st.ok()) return std::move(st).error().context("create " + name);
  if (auto st = validate_volume_options(options); !st.ok())
    return std::move(st).error().context("create " + name);
  Volume v;
  v.name = name;
  v.driver = d;
  v.created_ns = unix_nanos_now();
  v.labels = std::move(labels);
  v.options = std::move(options);
  TRY(make_dirs(volume_dir(name), 0755));
  TRY(make_dirs(data_dir(name), 0755));
  if (auto st = store_->put(v); !st.ok()) {
    (void)remove_all(volume_dir(name));
    return std::move(st).error();
  }
  volumes_[name] = v;
  publish_event("create", v);
  return v;
}

Result<Json> VolumeService::create(const Json& body) {
  if (!body.is_object()) return Error(ErrorCode::kInvalidArgument, "invalid volume config");
  std::string name = body.value("Name", std::string());
  if (name.empty()) name = generate_id();
  auto options = TRY(cspec::get_string_map(body, "DriverOpts", "CreateOptions"));
  auto labels = TRY(cspec::get_string_map(body, "Labels", "CreateOptions"));
  std::lock_guard lock(mu_);
  Volume v = TRY(create_locked(name, body.value("Driver", std::string()), options, labels));
  return volume_json(v);
}

Result<Json> VolumeService::inspect(const std::string& name) {
  std::lock_guard lock(mu_);
  const Volume* v = TRY(find_locked(name));
  return volume_json(*v);
}

Status VolumeService::remove_locked(const std::string& name) {
  const Volume* found = TRY(find_locked(name));
  Volume v = *found;
  if (auto it = users_.find(name); it != users_.end() && !it->second.empty()) {
    std::vector<std::string> ids(it->second.begin(), it->second.end());
    return make_error(ErrorCode::kConflict, "remove {}: volume is in use - [{}]", name,
                      fmt::join(ids, " "));
  }
  if (v.needs_mount()) unmount_locked(v);
  // Never crosses into a mount a failed unmount left: remove_tree_at stays on one filesystem.
  auto root = store::fs::open_dir(options_.data_root + "/volumes");
  if (root.ok()) {
    if (auto st = store::fs::remove_tree_at(root->get(), name); !st.ok())
      return std::move(st).error().context("remove " + name);
  }
  TRY(store_->remove(name));
  volumes_.erase(name);
  publish_event("destroy", v);
  return ok_status();
}

Status VolumeService::remove(const std::string& name, bool force) {
  std::lock_guard lock(mu_);
  auto st = remove_locked(name);
  if (!st.ok() && force && st.error().code() == ErrorCode::kNotFound) return ok_status();
  return st;
}

Result<Json> VolumeService::list(const std::string& filters_text) {
  auto filters = TRY(image::parse_filters(filters_text));
  TRY(image::check_filter_keys(filters, {"dangling", "driver", "label", "name"}));
  auto dangling = TRY(image::dangling_filter(filters));
  auto any = [&](const char* key, auto pred) {
    auto it = filters.find(key);
    if (it == filters.end() || it->second.empty()) return true;
    return std::any_of(it->second.begin(), it->second.end(), pred);
  };
  std::lock_guard lock(mu_);
  Json out = Json::array();
  for (const auto& [name, v] : volumes_) {
    if (!any("driver", [&](const std::string& d) { return d == v.driver; })) continue;
    if (!any("name", [&](const std::string& n) { return v.name.find(n) != std::string::npos; }))
      continue;
    if (!image::labels_match(filters, v.labels)) continue;
    if (dangling) {
      auto it = users_.find(name);
      bool unused = it == users_.end() || it->second.empty();
      if (unused != *dangling) continue;
    }
    out.push_back(volume_json(v));
  }
  return Json{{"Volumes", out}, {"Warnings", nullptr}};
}

Result<Json> VolumeService::prune(const std::string& filters_text) {
  auto filters = TRY(image::parse_filters(filters_text));
  TRY(image::check_filter_keys(filters, {"label", "label!", "all"}));
  bool all = false;
  for (const auto& v : filters["all"]) {
    if (v == "1" || v == "true") {
      all = true;
    } else if (v != "0" && v != "false") {
      return make_error(ErrorCode::kInvalidArgument, "invalid filter 'all={}'", v);
    }
  }
  filters.erase("all");
  std::lock_guard lock(mu_);
  std::vector<std::string> candidates;
  for (const auto& [name, v] : volumes_) {
    auto it = users_.find(name);
    if (it != users_.end() && !it->second.empty()) continue;
    // Since Docker 23, prune keeps named volumes unless asked for all.
    if (!all && !v.anonymous()) continue;
    if (!image::labels_match(filters, v.labels)) continue;
    candidates.push_back(name);
  }
  Json deleted = Json::array();
  uint64_t reclaimed = 0;
  for (const auto& name : candidates) {
    uint64_t size = 0;
    if (auto dir = store::fs::open_dir(data_dir(name)); dir.ok())
      size = store::fs::tree_size(dir->get()).value_or(0);
    if (auto st = remove_locked(name); !st.ok()) {
      log::warn("prune volume {}: {}", name, st.error().to_string());
      continue;
    }
    deleted.push_back(name);
    reclaimed += size;
  }
  return Json{{"VolumesDeleted", deleted}, {"SpaceReclaimed", reclaimed}};
}

Json VolumeService::disk_usage() {
  std::lock_guard lock(mu_);
  Json out = Json::array();
  for (const auto& [name, v] : volumes_) {
    Json j = volume_json(v);
    int64_t size = -1;
    if (auto dir = store::fs::open_dir(data_dir(name)); dir.ok()) {
      if (auto s = store::fs::tree_size(dir->get()); s.ok()) size = static_cast<int64_t>(*s);
    }
    auto it = users_.find(name);
    int64_t refs = it == users_.end() ? 0 : static_cast<int64_t>(it->second.size());
    j["UsageData"] = {{"Size", size}, {"RefCount", refs}};
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace berth::daemon
