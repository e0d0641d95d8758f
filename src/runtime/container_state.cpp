#include "runtime/container_state.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/file_util.h"
#include "base/time_format.h"
#include "oci/runtime_spec_json.h"
#include "sys/process.h"

namespace berth::runtime {

const char* status_name(ContainerStatus status) {
  switch (status) {
    case ContainerStatus::kCreating: return "creating";
    case ContainerStatus::kCreated: return "created";
    case ContainerStatus::kRunning: return "running";
    case ContainerStatus::kPaused: return "paused";
    case ContainerStatus::kStopped: return "stopped";
  }
  return "unknown";
}

Status validate_container_id(const std::string& id) {
  if (id.empty()) return Error(ErrorCode::kInvalidArgument, "container id cannot be empty");
  if (id == "." || id == "..")
    return make_error(ErrorCode::kInvalidArgument, "invalid container id: {}", id);
  if (id.size() > 1024) return Error(ErrorCode::kInvalidArgument, "container id is too long");
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '.';
    if (!ok) return make_error(ErrorCode::kInvalidArgument, "invalid container id: {}", id);
  }
  return {};
}

Status StateStore::create_dir(const std::string& id) {
  TRY(make_dirs(root_, 0711));
  if (::mkdir(dir(id).c_str(), 0711) != 0) {
    if (errno == EEXIST)
      return make_error(ErrorCode::kAlreadyExists, "container with id exists: {}", id);
    return errno_error("create state directory " + dir(id));
  }
  return {};
}

Json container_state_to_json(const ContainerState& s) {
  Json j;
  j["id"] = s.id;
  j["bundle"] = s.bundle;
  j["rootfs"] = s.rootfs;
  j["init_pid"] = s.init_pid;
  j["init_start_time"] = s.init_start_time;
  j["created_ns"] = s.created_ns;
  j["cgroup_path"] = s.cgroup_path;
  j["annotations"] = s.annotations;
  j["owner"] = s.owner;
  j["has_init_pid_ns"] = s.has_init_pid_ns;
  return j;
}

Result<ContainerState> container_state_from_json(const Json& j) {
  try {
    ContainerState s;
    s.id = j.at("id").get<std::string>();
    s.bundle = j.at("bundle").get<std::string>();
    s.rootfs = j.at("rootfs").get<std::string>();
    s.init_pid = j.at("init_pid").get<pid_t>();
    s.init_start_time = j.at("init_start_time").get<uint64_t>();
    s.created_ns = j.at("created_ns").get<int64_t>();
    s.cgroup_path = j.at("cgroup_path").get<std::string>();
    s.annotations = j.value("annotations", std::map<std::string, std::string>{});
    s.owner = j.value("owner", std::string());
    s.has_init_pid_ns = j.value("has_init_pid_ns", true);
    return s;
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "corrupt container state: {}", e.what());
  }
}

Status StateStore::save(const ContainerState& state) {
  return write_file_atomic(dir(state.id) + "/state.json", container_state_to_json(state).dump(),
                           0600);
}

Result<ContainerState> StateStore::load(const std::string& id) const {
  TRY(validate_container_id(id));
  auto text = read_file(dir(id) + "/state.json");
  if (!text.ok()) {
    if (text.error().code() == ErrorCode::kNotFound)
      return make_error(ErrorCode::kNotFound, "container does not exist: {}", id);
    return std::move(text).error();
  }
  Json j = TRY(parse_json(*text, "state.json"));
  return container_state_from_json(j);
}

Status StateStore::save_config(const std::string& id, const oci::Spec& spec) {
  return write_file_atomic(dir(id) + "/config.json", oci::to_json(spec).dump(), 0600);
}

Result<oci::Spec> StateStore::load_config(const std::string& id) const {
  std::string text = TRY(read_file(dir(id) + "/config.json"));
  return oci::parse_spec_text(text);
}

Status StateStore::remove(const std::string& id) {
  return remove_all(dir(id));
}

Result<std::vector<std::string>> StateStore::list_ids() const {
  std::vector<std::string> ids;
  DIR* d = ::opendir(root_.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return ids;
    return errno_error("open " + root_);
  }
  while (auto* ent = ::readdir(d)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..") continue;
    if (ent->d_type == DT_DIR || ent->d_type == DT_UNKNOWN) ids.push_back(name);
  }
  ::closedir(d);
  std::sort(ids.begin(), ids.end());
  return ids;
}

StateStore::Lock::~Lock() {
  if (fd_) ::flock(fd_.get(), LOCK_UN);
}

Result<StateStore::Lock> StateStore::lock(const std::string& id) const {
  UniqueFd fd(::open(dir(id).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT)
      return make_error(ErrorCode::kNotFound, "container does not exist: {}", id);
    return errno_error("open " + dir(id));
  }
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return errno_error("lock " + dir(id));
  }
  return Lock(std::move(fd));
}

ContainerStatus current_status(const StateStore& store, const ContainerState& state, bool frozen) {
  if (state.init_pid <= 0) return ContainerStatus::kStopped;
  if (!sys::process_matches(state.init_pid, state.init_start_time))
    return ContainerStatus::kStopped;
  if (frozen) return ContainerStatus::kPaused;
  if (path_exists(store.fifo_path(state.id))) return ContainerStatus::kCreated;
  return ContainerStatus::kRunning;
}

OrderedJson state_to_json(const ContainerState& state, ContainerStatus status) {
  OrderedJson j;
  j["ociVersion"] = oci::kRuntimeSpecVersion;
  j["id"] = state.id;
  j["pid"] = status == ContainerStatus::kStopped ? 0 : state.init_pid;
  j["status"] = status_name(status);
  j["bundle"] = state.bundle;
  j["rootfs"] = state.rootfs;
  j["created"] = format_rfc3339_nano_ns(state.created_ns);
  if (!state.annotations.empty()) j["annotations"] = state.annotations;
  j["owner"] = state.owner;
  return j;
}

}  // namespace berth::runtime
