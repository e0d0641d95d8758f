#include "cspec/container_env.h"

#include <algorithm>
#include <map>

namespace berth::cspec {

std::vector<std::string> replace_or_append_env(std::vector<std::string> defaults,
                                               const std::vector<std::string>& overrides) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < defaults.size(); ++i) {
    index[defaults[i].substr(0, defaults[i].find('='))] = i;
  }
  std::vector<bool> removed(defaults.size(), false);
  for (const std::string& value : overrides) {
    size_t eq = value.find('=');
    if (eq == std::string::npos) {
      if (auto it = index.find(value); it != index.end()) removed[it->second] = true;
      continue;
    }
    std::string name = value.substr(0, eq);
    if (auto it = index.find(name); it != index.end()) {
      defaults[it->second] = value;
      removed[it->second] = false;
    } else {
      // Appended names are not indexed, as in dockerd: a repeated name appears twice.
      defaults.push_back(value);
      removed.push_back(false);
    }
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < defaults.size(); ++i) {
    if (!removed[i]) out.push_back(std::move(defaults[i]));
  }
  return out;
}

std::vector<std::string> container_env(const std::string& hostname, bool tty,
                                       const std::vector<std::string>& config_env) {
  std::vector<std::string> defaults = {std::string("PATH=") + kDefaultPathEnv,
                                       "HOSTNAME=" + hostname};
  if (tty) defaults.emplace_back("TERM=xterm");
  return replace_or_append_env(std::move(defaults), config_env);
}

}  // namespace berth::cspec
