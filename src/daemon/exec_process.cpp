#include "daemon/exec_process.h"

#include <sys/prctl.h>

#include "cspec/capabilities_tweak.h"
#include "cspec/container_env.h"
#include "cspec/container_user.h"
#include "oci/runtime_spec_json.h"
#include "security/capabilities.h"

namespace berth::daemon {
namespace {

std::vector<std::string> strings_of(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (j.is_object() && j.contains(key) && j[key].is_array()) {
    for (const auto& v : j[key]) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

Result<oci::User> resolve(const std::string& rootfs, const std::string& user,
                          const Json& host_config) {
  cspec::AccountFiles accounts = TRY(cspec::read_account_files(rootfs));
  auto resolved = cspec::resolve_user(user, strings_of(host_config, "GroupAdd"), accounts);
  if (!resolved.ok()) return Error(ErrorCode::kInvalidArgument, resolved.error().message());
  return resolved;
}

// --privileged means every capability the engine itself may hand out: a capability missing from
// berthd's bounding set (a restricted host, e.g. no CAP_SYS_MODULE) would make capset fail.
std::vector<std::string> grantable(std::vector<std::string> names) {
  std::erase_if(names, [](const std::string& name) {
    auto cap = security::capability_from_name(name);
    return cap && ::prctl(PR_CAPBSET_READ, *cap, 0, 0, 0) == 0;
  });
  return names;
}

}  // namespace

std::vector<std::string> exec_environment(const Json& container_config, bool tty,
                                          const std::vector<std::string>& exec_env) {
  std::string hostname = container_config.value("Hostname", std::string());
  auto base = cspec::container_env(hostname, tty, strings_of(container_config, "Env"));
  return cspec::replace_or_append_env(std::move(base), exec_env);
}

Status check_exec_user(const std::string& rootfs, const std::string& user,
                       const Json& host_config) {
  if (user.empty()) return {};
  TRY(resolve(rootfs, user, host_config));
  return {};
}

Result<oci::Process> exec_process(const ExecProcessInput& input) {
  const ExecConfig& exec = *input.exec;
  oci::Spec spec = TRY_CTX(oci::load_spec(input.bundle), "read the container's spec");
  if (!spec.process) return Error(ErrorCode::kFailedPrecondition, "the container has no process");
  oci::Process p = *spec.process;
  p.args.clear();
  p.args.push_back(exec.entrypoint);
  p.args.insert(p.args.end(), exec.args.begin(), exec.args.end());
  p.env = exec.env;
  p.cwd = exec.working_dir.empty() ? "/" : exec.working_dir;
  p.terminal = exec.tty;
  p.console_size.reset();
  auto size = input.console_size ? input.console_size : exec.console_size;
  if (exec.tty && size && ((*size)[0] != 0 || (*size)[1] != 0)) {
    p.console_size = oci::ConsoleSize{(*size)[0], (*size)[1]};
  }
  if (!exec.user.empty()) {
    p.user = TRY(resolve(input.bundle + "/rootfs", exec.user, input.host_config));
  }
  if (exec.privileged) {
    auto all = grantable(TRY(cspec::container_capabilities({}, {}, true, input.last_cap)));
    oci::Capabilities caps;
    caps.bounding = all;
    caps.effective = all;
    caps.permitted = all;
    p.capabilities = caps;
  }
  return p;
}

}  // namespace berth::daemon
