// The JSON views of containers the API returns: inspect (ContainerJSON), list (ContainerSummary)
// and the human "Status" column ("Up 2 minutes", "Exited (0) 3 seconds ago").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "daemon/container.h"
#include "daemon/filters.h"

namespace berth::daemon {

struct ViewContext {
  int64_t now_ns = 0;
  std::string graph_lower_dir;  // from the snapshotter, for GraphDriver.Data
  std::string graph_upper_dir;
  std::string graph_work_dir;
  std::string merged_dir;
  std::vector<std::string> exec_ids;
  std::string image_display;  // the image reference `docker ps` shows
  int64_t size_rw = -1;       // < 0: not computed
  int64_t size_root_fs = -1;
};

// RFC 3339 with nanoseconds, and Go's zero time for 0.
std::string docker_time(int64_t unix_ns);
// go-units' HumanDuration.
std::string human_duration(int64_t ns);
// The `docker ps` STATUS text.
std::string status_text(const Container& c, int64_t now_ns);

Json inspect_json(const Container& c, const ViewContext& ctx);
Json summary_json(const Container& c, const ViewContext& ctx);

// `docker ps --filter`: the container filters (filters.h parses the object).
Result<ListFilters> parse_container_filters(const std::string& json_text);
// True when `c` passes every filter except before/since/ancestor, which need other containers
// or images (the caller applies them).
bool matches_filters(const Container& c, const ListFilters& filters);

}  // namespace berth::daemon
