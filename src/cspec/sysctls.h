// linux.sysctl: Docker's default sysctls, Config.Domainname, HostConfig.Sysctls, and runc's rule
// that only namespaced sysctls may be set.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// With a network namespace of its own (NetworkMode neither host nor container:<x>) a container
// gets net.ipv4.ping_group_range "0 2147483647" (ping without CAP_NET_RAW; not when the engine
// runs in a user namespace) and net.ipv4.ip_unprivileged_port_start "0" (ports below 1024
// without CAP_NET_BIND_SERVICE), where the kernel has them. Config.Domainname becomes
// kernel.domainname (the runtime spec has no field for it). HostConfig.Sysctls override all.
Result<std::map<std::string, std::string>> container_sysctls(const Json& config,
                                                             const Json& host_config,
                                                             const HostInfo& host);

// runc's validation, with its messages: IPC sysctls (kernel.msg*, kernel.sem, kernel.shm*,
// fs.mqueue.*) need an IPC namespace ("sysctl \"kernel.shmmax\" is not allowed in the hosts ipc
// namespace"), net.* a network namespace ("... is not allowed in the hosts network namespace"),
// kernel.domainname a UTS namespace; kernel.hostname conflicts with the hostname field; anything
// else "is not in a separate kernel namespace".
Status check_sysctls(const std::map<std::string, std::string>& sysctls,
                     const std::vector<oci::Namespace>& namespaces);

}  // namespace berth::cspec
