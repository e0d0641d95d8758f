#include "daemon/volume.h"

namespace berth::daemon {

Json Volume::to_record() const {
  return {{"name", name},     {"driver", driver},   {"created", created_ns},
          {"labels", labels}, {"options", options}};
}

Result<Volume> Volume::from_record(const Json& j) {
  try {
    Volume v;
    v.name = j.at("name").get<std::string>();
    v.driver = j.value("driver", std::string("local"));
    v.created_ns = j.value("created", int64_t{0});
    v.labels = j.value("labels", std::map<std::string, std::string>());
    v.options = j.value("options", std::map<std::string, std::string>());
    return v;
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "corrupt volume record: {}", e.what());
  }
}

Status validate_volume_name(const std::string& name) {
  if (name.size() == 1) {
    return Error(ErrorCode::kInvalidArgument,
                 "volume name is too short, names should be at least two alphanumeric characters");
  }
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  bool valid = !name.empty() && alnum(name[0]);
  for (size_t i = 1; valid && i < name.size(); ++i) {
    char c = name[i];
    valid = alnum(c) || c == '_' || c == '.' || c == '-';
  }
  if (!valid) {
    return make_error(ErrorCode::kInvalidArgument,
                      "{:?} includes invalid characters for a local volume name, only "
                      "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
                      "directory, use absolute path",
                      name);
  }
  return ok_status();
}

Status validate_volume_options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) {
    if (key != "type" && key != "device" && key != "o")
      return make_error(ErrorCode::kInvalidArgument, "invalid option: {:?}", key);
  }
  bool type = options.contains("type") && !options.at("type").empty();
  bool device = options.contains("device") && !options.at("device").empty();
  if (type && !device) return Error(ErrorCode::kInvalidArgument, "missing required option: \"device\"");
  if (device && !type) return Error(ErrorCode::kInvalidArgument, "missing required option: \"type\"");
  if (options.contains("o") && !type)
    return Error(ErrorCode::kInvalidArgument, "missing required option: \"type\"");
  return ok_status();
}

}  // namespace berth::daemon
