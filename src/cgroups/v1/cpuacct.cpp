// cgroup v1 cpuacct: CPU time used, in total, per CPU, and split into user and kernel time.
#include <unistd.h>

#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

namespace {

constexpr uint64_t kNanosPerSecond = 1'000'000'000;

Result<std::vector<uint64_t>> read_number_list(const std::string& dir, std::string_view name) {
  auto words = TRY(read_cgroup_words(dir, name));
  std::vector<uint64_t> out;
  out.reserve(words.size());
  for (const auto& word : words) out.push_back(TRY(parse_uint64(word)));
  return out;
}

// cpuacct.usage_all: a "cpu user system" header, then one line per CPU, in nanoseconds.
Status read_usage_all(const std::string& dir, CpuUsage& usage) {
  auto text = TRY(read_cgroup_file(dir, "cpuacct.usage_all"));
  for (const auto& line : split(text, '\n')) {
    std::vector<std::string> fields;
    for (auto& field : split(line, ' ')) {
      if (!field.empty()) fields.push_back(field);
    }
    if (fields.size() != 3 || fields[0] == "cpu") continue;
    usage.percpu_user.push_back(TRY(parse_uint64(fields[1])));
    usage.percpu_kernel.push_back(TRY(parse_uint64(fields[2])));
  }
  return {};
}

}  // namespace

Status stat_cpuacct(const std::string& dir, Stats& stats) {
  CpuUsage& usage = stats.cpu.usage;
  usage.total = TRY(read_cgroup_uint(dir, "cpuacct.usage"));
  usage.percpu = TRY(read_number_list(dir, "cpuacct.usage_percpu"));
  if (cgroup_file_exists(dir, "cpuacct.usage_all")) TRY(read_usage_all(dir, usage));
  // cpuacct.stat counts USER_HZ ticks.
  auto ticks = TRY(read_cgroup_keyed(dir, "cpuacct.stat"));
  long hz = ::sysconf(_SC_CLK_TCK);
  if (hz <= 0) hz = 100;
  usage.user = ticks["user"] * kNanosPerSecond / static_cast<uint64_t>(hz);
  usage.kernel = ticks["system"] * kNanosPerSecond / static_cast<uint64_t>(hz);
  return {};
}

}  // namespace berth::cgroups::v1
