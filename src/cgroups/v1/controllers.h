// cgroup v1: one function per controller and job, each working on the container's directory in
// that controller's hierarchy. The manager decides which run and finds the directories.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "cgroups/stats.h"
#include "oci/runtime_spec.h"

namespace berth::cgroups::v1 {

Status set_memory(const std::string& dir, const oci::MemoryResources& memory);
Status stat_memory(const std::string& dir, Stats& stats);
Result<uint64_t> oom_kill_count(const std::string& dir);

Status set_cpu(const std::string& dir, const oci::CpuResources& cpu);
Status stat_cpu(const std::string& dir, Stats& stats);      // cpu.stat throttling
Status stat_cpuacct(const std::string& dir, Stats& stats);  // usage

// `levels`: the new cgroup's directories from the top down; empty cpus/mems are inherited.
Status init_cpuset(const std::string& mount, const std::vector<std::string>& levels);
Status set_cpuset(const std::string& dir, const oci::CpuResources& cpu);

Status set_pids(const std::string& dir, const oci::PidsResources& pids);
Status stat_pids(const std::string& dir, Stats& stats);

Status set_blkio(const std::string& dir, const oci::BlockIoResources& block_io);
Status stat_blkio(const std::string& dir, Stats& stats);

Status set_hugetlb(const std::string& dir, const std::vector<oci::HugepageLimit>& limits);
Status stat_hugetlb(const std::string& dir, Stats& stats);

Status set_net_cls(const std::string& dir, uint32_t class_id);
Status set_net_prio(const std::string& dir, const std::vector<oci::NetworkPriority>& priorities);

Status set_rdma(const std::string& dir, const std::map<std::string, oci::RdmaLimit>& limits);

// devices.deny "a", then every rule in order to devices.allow / devices.deny.
Status set_devices(const std::string& dir, const std::vector<oci::DeviceCgroupRule>& rules);

Status freeze(const std::string& dir);
Status thaw(const std::string& dir);
Result<bool> is_frozen(const std::string& dir);

}  // namespace berth::cgroups::v1
