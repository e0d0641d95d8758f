// cgroup v2: one function per controller and job, each working on the container's directory in
// the unified hierarchy. The manager checks that the controller is enabled before calling.
#pragma once

#include <linux/bpf.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "cgroups/stats.h"
#include "oci/runtime_spec.h"

namespace berth::cgroups::v2 {

// Writes "+controller ..." to cgroup.subtree_control of `mount` and of every level but the last
// (the leaf holds processes, and a v2 cgroup with processes cannot enable controllers below it).
Status enable_controllers(const std::string& mount, const std::vector<std::string>& levels);

Status set_memory(const std::string& dir, const oci::MemoryResources& memory);
Status stat_memory(const std::string& dir, Stats& stats);
Result<uint64_t> oom_kill_count(const std::string& dir);

Status set_cpu(const std::string& dir, const oci::CpuResources& cpu);
Status stat_cpu(const std::string& dir, Stats& stats);
Status set_cpuset(const std::string& dir, const oci::CpuResources& cpu);

Status set_pids(const std::string& dir, const oci::PidsResources& pids);
Status stat_pids(const std::string& dir, Stats& stats);

Status set_io(const std::string& dir, const oci::BlockIoResources& block_io);
Status stat_io(const std::string& dir, Stats& stats);

Status set_hugetlb(const std::string& dir, const std::vector<oci::HugepageLimit>& limits);
Status stat_hugetlb(const std::string& dir, Stats& stats);

Status set_rdma(const std::string& dir, const std::map<std::string, oci::RdmaLimit>& limits);

// linux.resources.unified: file name -> value, written as is (one write per line). Names are
// checked: no '/', no "..", and "<controller>.<knob>" with the controller in `available`.
Status check_unified(const std::string& dir, const std::map<std::string, std::string>& unified,
                     const std::vector<std::string>& available);
Status set_unified(const std::string& dir, const std::map<std::string, std::string>& unified,
                   const std::vector<std::string>& available);

// Compiles the rules into an eBPF program and attaches it to `dir`, replacing Berth's earlier one.
Status set_devices(const std::string& dir, const std::vector<oci::DeviceCgroupRule>& rules);
// BPF_PROG_LOAD + BPF_PROG_ATTACH(BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI); then detaches the
// programs named kDeviceProgramName that were attached before, so there is no unguarded moment.
Status attach_device_program(const std::string& dir, const std::vector<bpf_insn>& program);
inline constexpr const char* kDeviceProgramName = "berth_devices";

Status freeze(const std::string& dir);
Status thaw(const std::string& dir);
Result<bool> is_frozen(const std::string& dir);

}  // namespace berth::cgroups::v2
