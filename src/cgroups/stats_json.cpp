#include "cgroups/stats.h"

namespace berth::cgroups {

namespace {

// Go's `omitempty`: a zero number or an empty list is left out.
void put_nonzero(Json& object, const char* key, uint64_t value) {
  if (value != 0) object[key] = value;
}

void put_nonempty(Json& object, const char* key, const std::vector<uint64_t>& values) {
  if (!values.empty()) object[key] = values;
}

Json cpu_json(const CpuStats& cpu) {
  Json usage = Json::object();
  put_nonzero(usage, "total", cpu.usage.total);
  put_nonempty(usage, "percpu", cpu.usage.percpu);
  put_nonempty(usage, "percpu_kernel", cpu.usage.percpu_kernel);
  put_nonempty(usage, "percpu_user", cpu.usage.percpu_user);
  usage["kernel"] = cpu.usage.kernel;
  usage["user"] = cpu.usage.user;
  Json throttling = Json::object();
  put_nonzero(throttling, "periods", cpu.throttling.periods);
  put_nonzero(throttling, "throttledPeriods", cpu.throttling.throttled_periods);
  put_nonzero(throttling, "throttledTime", cpu.throttling.throttled_time);
  return Json{{"usage", usage}, {"throttling", throttling}};
}

Json memory_entry_json(const MemoryEntry& entry) {
  Json out = Json::object();
  out["limit"] = entry.limit;
  put_nonzero(out, "usage", entry.usage);
  put_nonzero(out, "max", entry.max);
  out["failcnt"] = entry.failcnt;
  return out;
}

Json memory_json(const MemoryStats& memory) {
  Json out = Json::object();
  put_nonzero(out, "cache", memory.cache);
  out["usage"] = memory_entry_json(memory.usage);
  out["swap"] = memory_entry_json(memory.swap);
  out["kernel"] = memory_entry_json(memory.kernel);
  out["kernelTCP"] = memory_entry_json(memory.kernel_tcp);
  if (!memory.raw.empty()) out["raw"] = memory.raw;
  return out;
}

Json blkio_entries_json(const std::vector<BlkioEntry>& entries) {
  Json out = Json::array();
  for (const auto& entry : entries) {
    Json item = Json::object();
    put_nonzero(item, "major", entry.major);
    put_nonzero(item, "minor", entry.minor);
    if (!entry.op.empty()) item["op"] = entry.op;
    put_nonzero(item, "value", entry.value);
    out.push_back(std::move(item));
  }
  return out;
}

Json blkio_json(const BlkioStats& blkio) {
  Json out = Json::object();
  auto put = [&](const char* key, const std::vector<BlkioEntry>& entries) {
    if (!entries.empty()) out[key] = blkio_entries_json(entries);
  };
  put("ioServiceBytesRecursive", blkio.io_service_bytes_recursive);
  put("ioServicedRecursive", blkio.io_serviced_recursive);
  put("ioQueueRecursive", blkio.io_queued_recursive);
  put("ioServiceTimeRecursive", blkio.io_service_time_recursive);
  put("ioWaitTimeRecursive", blkio.io_wait_time_recursive);
  put("ioMergedRecursive", blkio.io_merged_recursive);
  put("ioTimeRecursive", blkio.io_time_recursive);
  put("sectorsRecursive", blkio.sectors_recursive);
  return out;
}

Json hugetlb_json(const std::map<std::string, HugetlbStats>& hugetlb) {
  Json out = Json::object();
  for (const auto& [size, stats] : hugetlb) {
    Json item = Json::object();
    put_nonzero(item, "usage", stats.usage);
    put_nonzero(item, "max", stats.max);
    item["failcnt"] = stats.failcnt;
    out[size] = std::move(item);
  }
  return out;
}

}  // namespace

Json stats_to_runc_json(const Stats& stats) {
  Json pids = Json::object();
  put_nonzero(pids, "current", stats.pids.current);
  put_nonzero(pids, "limit", stats.pids.limit);
  Json out = Json::object();
  out["cpu"] = cpu_json(stats.cpu);
  out["memory"] = memory_json(stats.memory);
  out["pids"] = pids;
  out["blkio"] = blkio_json(stats.blkio);
  out["hugetlb"] = hugetlb_json(stats.hugetlb);
  // runc always carries these two; Berth collects neither (no Intel RDT, no netns access here).
  out["intel_rdt"] = Json::object();
  out["network_interfaces"] = nullptr;
  return out;
}

}  // namespace berth::cgroups
