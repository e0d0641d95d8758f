// cgroup v2 hugetlb: hugetlb.<size>.max (and .rsvd.max); usage statistics.
#include <cerrno>

#include "cgroups/cgroup_file.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

Status set_hugetlb(const std::string& dir, const std::vector<oci::HugepageLimit>& limits) {
  bool rsvd = true;  // reservation limits exist since 5.7; when one is missing, all are
  for (const auto& limit : limits) {
    std::string prefix = "hugetlb." + limit.page_size;
    std::string value = std::to_string(limit.limit);
    if (!cgroup_file_exists(dir, prefix + ".max")) {
      return make_error(ErrorCode::kInvalidArgument,
                        "hugepageLimits: page size \"{}\" is not offered by {}", limit.page_size,
                        dir);
    }
    TRY(write_cgroup_file(dir, prefix + ".max", value));
    if (!rsvd) continue;
    auto status = write_cgroup_file(dir, prefix + ".rsvd.max", value);
    if (!status.ok() && status.error().sys_errno() == ENOENT) {
      rsvd = false;
      continue;
    }
    TRY(std::move(status));
  }
  return {};
}

Status stat_hugetlb(const std::string& dir, Stats& stats) {
  for (const auto& size : TRY(hugetlb_page_sizes(dir, "max"))) {
    std::string prefix = "hugetlb." + size;
    HugetlbStats& entry = stats.hugetlb[size];
    entry.usage = TRY(read_cgroup_uint(dir, prefix + ".current"));
    entry.failcnt = read_cgroup_key(dir, prefix + ".events", "max").value_or(0);
  }
  return {};
}

}  // namespace berth::cgroups::v2
