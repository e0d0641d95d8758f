#include "shim/shim_config.h"

namespace berth::shim {

Json to_json(const ShimConfig& c) {
  return Json{{"id", c.id},
              {"bundle", c.bundle},
              {"runtime_root", c.runtime_root},
              {"tty", c.tty},
              {"open_stdin", c.open_stdin},
              {"stdin_once", c.stdin_once},
              {"log_driver", c.log_driver},
              {"log_path", c.log_path},
              {"log_options", c.log_options},
              {"name", c.name},
              {"image_id", c.image_id},
              {"image_name", c.image_name},
              {"labels", c.labels},
              {"env", c.env},
              {"console_height", c.console_height},
              {"console_width", c.console_width}};
}

Result<ShimConfig> shim_config_from_json(const Json& j) {
  try {
    ShimConfig c;
    c.id = j.at("id").get<std::string>();
    c.bundle = j.at("bundle").get<std::string>();
    c.runtime_root = j.at("runtime_root").get<std::string>();
    c.tty = j.value("tty", false);
    c.open_stdin = j.value("open_stdin", false);
    c.stdin_once = j.value("stdin_once", false);
    c.log_driver = j.value("log_driver", std::string("json-file"));
    c.log_path = j.value("log_path", std::string());
    c.log_options = j.value("log_options", std::map<std::string, std::string>{});
    c.name = j.value("name", std::string());
    c.image_id = j.value("image_id", std::string());
    c.image_name = j.value("image_name", std::string());
    c.labels = j.value("labels", std::map<std::string, std::string>{});
    c.env = j.value("env", std::vector<std::string>{});
    c.console_height = j.value("console_height", 0);
    c.console_width = j.value("console_width", 0);
    return c;
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kInvalidArgument, "shim.json: {}", e.what());
  }
}

Json to_json(const ExitRecord& r) {
  return Json{{"exit_code", r.exit_code}, {"exited_at", r.exited_at_ns}, {"oom_killed", r.oom_killed}};
}

Result<ExitRecord> exit_record_from_json(const Json& j) {
  try {
    ExitRecord r;
    r.exit_code = j.at("exit_code").get<int>();
    r.exited_at_ns = j.value("exited_at", int64_t{0});
    r.oom_killed = j.value("oom_killed", false);
    return r;
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "exit.json: {}", e.what());
  }
}

}  // namespace berth::shim
