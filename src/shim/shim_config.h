// shim.json: what berthd tells a shim about the container it is to run.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::shim {

struct ShimConfig {
  std::string id;
  std::string bundle;        // the OCI bundle directory (also holds shim.sock, exit.json)
  std::string runtime_root;  // the runtime library's state root
  bool tty = false;
  bool open_stdin = false;   // keep a stdin pipe (docker run -i)
  bool stdin_once = false;   // close the container's stdin when the first attached client does
  std::string log_driver = "json-file";
  std::string log_path;
  std::map<std::string, std::string> log_options;
  // For --log-opt labels=/env=/tag=: what the log driver may stamp on each record.
  std::string name;
  std::string image_id;
  std::string image_name;
  std::map<std::string, std::string> labels;
  std::vector<std::string> env;
  int console_height = 0;
  int console_width = 0;
};

Json to_json(const ShimConfig& config);
Result<ShimConfig> shim_config_from_json(const Json& json);

// The exit record the shim leaves behind (exit.json).
struct ExitRecord {
  int exit_code = 0;
  int64_t exited_at_ns = 0;
  bool oom_killed = false;
};

Json to_json(const ExitRecord& record);
Result<ExitRecord> exit_record_from_json(const Json& json);

}  // namespace berth::shim
