#include "daemon/container_stats.h"

#include <unistd.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "daemon/container_views.h"

namespace berth::daemon {
namespace {

// The host's CPU time in nanoseconds: the first seven fields of /proc/stat's "cpu" line (user,
// nice, system, idle, iowait, irq, softirq), as dockerd sums them.
uint64_t system_cpu_usage() {
  auto text = read_file("/proc/stat");
  if (!text.ok()) return 0;
  for (const auto& line : split(*text, '\n')) {
    if (line.rfind("cpu ", 0) != 0) continue;
    std::vector<std::string> fields;
    for (const auto& f : split(line, ' ')) {
      if (!f.empty()) fields.push_back(f);
    }
    uint64_t ticks = 0;
    for (size_t i = 1; i < fields.size() && i < 8; ++i) ticks += parse_uint64(fields[i]).value_or(0);
    long hz = ::sysconf(_SC_CLK_TCK);
    return hz > 0 ? ticks * 1'000'000'000ull / static_cast<uint64_t>(hz) : 0;
  }
  return 0;
}

Json blkio_list(const std::vector<cgroups::BlkioEntry>& entries) {
  if (entries.empty()) return nullptr;  // Go's nil slice
  Json out = Json::array();
  for (const auto& e : entries) {
    out.push_back({{"major", e.major}, {"minor", e.minor}, {"op", e.op}, {"value", e.value}});
  }
  return out;
}

// Interfaces other than loopback, from the container's network namespace.
Json network_stats(int pid) {
  Json out = Json::object();
  if (pid <= 0) return out;
  auto text = read_file("/proc/" + std::to_string(pid) + "/net/dev");
  if (!text.ok()) return out;
  auto lines = split(*text, '\n');
  for (size_t i = 2; i < lines.size(); ++i) {
    auto [name, rest] = split_once(lines[i], ':');
    std::string iface(trim(name));
    if (iface.empty() || iface == "lo") continue;
    std::vector<uint64_t> v;
    for (const auto& f : split(rest, ' ')) {
      if (!f.empty()) v.push_back(parse_uint64(f).value_or(0));
    }
    if (v.size() < 16) continue;
    out[iface] = {{"rx_bytes", v[0]},  {"rx_packets", v[1]}, {"rx_errors", v[2]},
                  {"rx_dropped", v[3]}, {"tx_bytes", v[8]},   {"tx_packets", v[9]},
                  {"tx_errors", v[10]}, {"tx_dropped", v[11]}};
  }
  return out;
}

Json empty_blkio() {
  return {{"io_service_bytes_recursive", nullptr}, {"io_serviced_recursive", nullptr},
          {"io_queue_recursive", nullptr},         {"io_service_time_recursive", nullptr},
          {"io_wait_time_recursive", nullptr},     {"io_merged_recursive", nullptr},
          {"io_time_recursive", nullptr},          {"sectors_recursive", nullptr}};
}

}  // namespace

Json zero_cpu_stats() {
  return {{"cpu_usage", {{"total_usage", 0}, {"usage_in_kernelmode", 0}, {"usage_in_usermode", 0}}},
          {"throttling_data", {{"periods", 0}, {"throttled_periods", 0}, {"throttled_time", 0}}}};
}

Json idle_stats(const Container& c) {
  return {{"read", docker_time(0)},
          {"preread", docker_time(0)},
          {"pids_stats", Json::object()},
          {"blkio_stats", empty_blkio()},
          {"num_procs", 0},
          {"storage_stats", Json::object()},
          {"cpu_stats", zero_cpu_stats()},
          {"precpu_stats", zero_cpu_stats()},
          {"memory_stats", Json::object()},
          {"name", "/" + c.name},
          {"id", c.id}};
}

Result<Json> container_stats_sample(runtime::Runtime& runtime, const Container& c,
                                    const StatsHost& host) {
  runtime::ListEntry entry = TRY(runtime.lookup(c.id));
  auto manager = TRY(runtime.cgroup_manager(entry.state));
  cgroups::Stats s = TRY(manager->stats());
  int64_t read_ns = unix_nanos_now();

  Json cpu_usage = {{"total_usage", s.cpu.usage.total},
                    {"usage_in_kernelmode", s.cpu.usage.kernel},
                    {"usage_in_usermode", s.cpu.usage.user}};
  if (!s.cpu.usage.percpu.empty()) cpu_usage["percpu_usage"] = s.cpu.usage.percpu;
  Json cpu = {{"cpu_usage", cpu_usage},
              {"system_cpu_usage", system_cpu_usage()},
              {"online_cpus", host.online_cpus},
              {"throttling_data",
               {{"periods", s.cpu.throttling.periods},
                {"throttled_periods", s.cpu.throttling.throttled_periods},
                {"throttled_time", s.cpu.throttling.throttled_time}}}};

  uint64_t limit = s.memory.usage.limit;
  if (host.mem_total > 0 && (limit == 0 || limit > static_cast<uint64_t>(host.mem_total)))
    limit = static_cast<uint64_t>(host.mem_total);
  Json raw = Json::object();
  for (const auto& [k, v] : s.memory.raw) raw[k] = v;
  Json memory = {{"usage", s.memory.usage.usage}, {"stats", raw}, {"limit", limit}};
  if (s.memory.usage.max > 0) memory["max_usage"] = s.memory.usage.max;
  if (s.memory.usage.failcnt > 0) memory["failcnt"] = s.memory.usage.failcnt;

  Json pids = {{"current", s.pids.current}};
  if (s.pids.limit > 0) pids["limit"] = s.pids.limit;

  Json blkio = {{"io_service_bytes_recursive", blkio_list(s.blkio.io_service_bytes_recursive)},
                {"io_serviced_recursive", blkio_list(s.blkio.io_serviced_recursive)},
                {"io_queue_recursive", blkio_list(s.blkio.io_queued_recursive)},
                {"io_service_time_recursive", blkio_list(s.blkio.io_service_time_recursive)},
                {"io_wait_time_recursive", blkio_list(s.blkio.io_wait_time_recursive)},
                {"io_merged_recursive", blkio_list(s.blkio.io_merged_recursive)},
                {"io_time_recursive", blkio_list(s.blkio.io_time_recursive)},
                {"sectors_recursive", blkio_list(s.blkio.sectors_recursive)}};

  Json out = {{"read", docker_time(read_ns)},
              {"preread", docker_time(0)},
              {"pids_stats", pids},
              {"blkio_stats", blkio},
              {"num_procs", 0},
              {"storage_stats", Json::object()},
              {"cpu_stats", cpu},
              {"precpu_stats", zero_cpu_stats()},
              {"memory_stats", memory},
              {"name", "/" + c.name},
              {"id", c.id}};
  Json networks = network_stats(c.state.pid);
  if (!networks.empty()) out["networks"] = networks;
  return out;
}

}  // namespace berth::daemon
