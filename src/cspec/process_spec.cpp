#include "cspec/process_spec.h"

#include "cspec/container_env.h"
#include "cspec/container_user.h"
#include "cspec/docker_json.h"
#include "cspec/modes.h"
#include "cspec/ulimits.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kConfig = "Config";
constexpr std::string_view kWhere = "HostConfig";

Result<std::vector<std::string>> command_line(const Json& config) {
  auto entrypoint = TRY(get_str_slice(config, "Entrypoint", kConfig));
  auto cmd = TRY(get_str_slice(config, "Cmd", kConfig));
  std::vector<std::string> args;
  if (entrypoint && !(entrypoint->size() == 1 && entrypoint->front().empty())) args = *entrypoint;
  if (cmd) args.insert(args.end(), cmd->begin(), cmd->end());
  if (args.empty()) return make_error(ErrorCode::kInvalidArgument, "no command specified");
  return args;
}

Result<std::optional<oci::ConsoleSize>> console_size(const Json& hc) {
  const Json* size = field(hc, "ConsoleSize");
  if (size == nullptr) return std::optional<oci::ConsoleSize>();
  if (!size->is_array() || size->size() != 2 || !(*size)[0].is_number_unsigned() ||
      !(*size)[1].is_number_unsigned()) {
    return type_error(*size, kWhere, "ConsoleSize", "[2]uint");
  }
  oci::ConsoleSize out;
  out.height = (*size)[0].get<uint32_t>();
  out.width = (*size)[1].get<uint32_t>();
  if (out.height == 0 && out.width == 0) return std::optional<oci::ConsoleSize>();
  return std::optional<oci::ConsoleSize>(out);
}

std::string apparmor_profile(const SecurityOptions& security, bool privileged,
                             const HostInfo& host) {
  if (!host.apparmor) return {};
  if (!security.apparmor_profile.empty()) return security.apparmor_profile;
  if (privileged) return "unconfined";
  return host.apparmor_default_profile;
}

}  // namespace

Result<bool> uses_init(const StartInput& input) {
  auto init = TRY(get_optional_bool(input.host_config, "Init", kWhere));
  std::string pid = TRY(get_string(input.host_config, "PidMode", kWhere));
  return pid_is_private(pid) && init.value_or(input.host.daemon.init);
}

Result<oci::Process> container_process(const StartInput& input,
                                       const std::vector<std::string>& caps,
                                       const SecurityOptions& security, bool with_init) {
  const Json& config = input.config;
  const Json& hc = input.host_config;
  oci::Process p;
  p.args = TRY(command_line(config));
  if (with_init) p.args.insert(p.args.begin(), {kInContainerInitPath, "--"});
  bool tty = TRY(get_bool(config, "Tty", kConfig));
  p.terminal = tty;
  if (tty) p.console_size = TRY(console_size(hc));
  std::string hostname = TRY(get_string(config, "Hostname", kConfig));
  p.env = container_env(hostname, tty, TRY(get_strings(config, "Env", kConfig)));
  std::string cwd = TRY(get_string(config, "WorkingDir", kConfig));
  p.cwd = cwd.empty() ? "/" : cwd;

  AccountFiles accounts = TRY(read_account_files(input.rootfs));
  std::string user = TRY(get_string(config, "User", kConfig));
  auto group_add = TRY(get_strings(hc, "GroupAdd", kWhere));
  p.user = TRY(resolve_user(user, group_add, accounts));

  oci::Capabilities capabilities;
  capabilities.bounding = caps;
  capabilities.effective = caps;
  capabilities.permitted = caps;
  p.capabilities = capabilities;
  p.no_new_privileges = security.no_new_privileges;
  p.apparmor_profile =
      apparmor_profile(security, TRY(get_bool(hc, "Privileged", kWhere)), input.host);
  p.rlimits = TRY(container_rlimits(hc, input.host.daemon));
  p.oom_score_adj = static_cast<int>(TRY(get_int(hc, "OomScoreAdj", kWhere)));
  return p;
}

}  // namespace berth::cspec
