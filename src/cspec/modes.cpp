#include "cspec/modes.h"

namespace berth::cspec {

namespace {
constexpr std::string_view kContainerPrefix = "container:";
}  // namespace

bool is_container_mode(std::string_view mode) {
  return mode.starts_with(kContainerPrefix);
}

std::string container_of_mode(std::string_view mode) {
  if (!is_container_mode(mode)) return {};
  return std::string(mode.substr(kContainerPrefix.size()));
}

bool network_is_host(std::string_view mode) {
  return mode == "host";
}
bool network_is_none(std::string_view mode) {
  return mode == "none";
}
bool network_is_private(std::string_view mode) {
  return !network_is_host(mode) && !is_container_mode(mode);
}
bool network_is_user_defined(std::string_view mode) {
  return mode != "default" && mode != "bridge" && mode != "host" && mode != "none" &&
         !is_container_mode(mode);
}

bool ipc_mode_valid(std::string_view mode) {
  return mode.empty() || mode == "none" || mode == "private" || mode == "host" ||
         mode == "shareable" || is_container_mode(mode);
}

bool pid_mode_valid(std::string_view mode) {
  return mode.empty() || mode == "host" || !container_of_mode(mode).empty();
}

bool pid_is_private(std::string_view mode) {
  return mode != "host" && !is_container_mode(mode);
}

bool uts_mode_valid(std::string_view mode) {
  return mode.empty() || mode == "host";
}

bool cgroupns_mode_valid(std::string_view mode) {
  return mode.empty() || mode == "private" || mode == "host";
}

}  // namespace berth::cspec
