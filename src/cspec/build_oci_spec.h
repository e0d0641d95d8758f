// The OCI runtime spec of a container at start, as dockerd's createSpec builds it.
#pragma once

#include <string>

#include "base/result.h"
#include "cspec/start_input.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// Builds and validates (oci::validate_spec) the spec:
//  - root: the rootfs, read-only with ReadonlyRootfs;
//  - process: container_process (args, env, cwd, user from the rootfs, capabilities,
//    no_new_privileges, AppArmor, rlimits, oomScoreAdj);
//  - hostname: Config.Hostname unless UTSMode is host; Config.Domainname as kernel.domainname;
//  - mounts: container_mounts; masked and read-only paths: HostConfig.MaskedPaths/ReadonlyPaths
//    when set, else Docker's lists, none for --privileged or systempaths=unconfined;
//  - namespaces: container_namespaces; sysctls: container_sysctls, checked as runc does;
//  - devices and the device cgroup list: container_devices; resources: container_resources;
//  - seccomp: container_seccomp; cgroupsPath: input.cgroups_path or <parent>/<id>;
//  - annotations: HostConfig.Annotations; no hooks (the daemon sets up networking itself).
// Errors from the request (an unknown user, a bad seccomp profile, a missing device) are
// kInvalidArgument; a container:<x> mode without its namespace path is kFailedPrecondition.
Result<oci::Spec> build_oci_spec(const StartInput& input);

// <HostConfig.CgroupParent, or the daemon's cgroup-parent>/<id>.
Result<std::string> default_cgroups_path(const StartInput& input);

}  // namespace berth::cspec
