// list, ps, events, update.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "base/file_util.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "commands.h"
#include "oci/runtime_spec_json.h"

namespace berth::runtime_cli {
namespace {

// Pads columns like Go's tabwriter with minwidth 12, padding 1 — runc's `list` layout.
std::string format_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size())
        out += std::string(std::max<size_t>(widths[i] + 1, 12) - row[i].size(), ' ');
    }
    out += "\n";
  }
  return out;
}

int do_list(const Globals& g, const std::string& format, bool quiet) {
  auto rt = make_runtime(g);
  auto entries = rt.list();
  if (!entries.ok()) return report(entries.error());
  if (quiet) {
    for (const auto& e : *entries) std::cout << e.state.id << "\n";
    return 0;
  }
  if (format == "json") {
    OrderedJson arr = OrderedJson::array();
    for (const auto& e : *entries) arr.push_back(runtime::state_to_json(e.state, e.status));
    std::cout << arr.dump() << std::endl;
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& e : *entries) {
    bool stopped = e.status == runtime::ContainerStatus::kStopped;
    rows.push_back({e.state.id, std::to_string(stopped ? 0 : e.state.init_pid),
                    runtime::status_name(e.status), e.state.bundle,
                    format_rfc3339_nano_ns(e.state.created_ns),
                    e.state.owner.empty() ? "root" : e.state.owner});
  }
  std::cout << format_table(rows);
  return 0;
}

// `ps` as runc does it: run ps(1) on the host and keep the header plus the container's pids.
int do_ps(const Globals& g, const std::string& id, const std::string& format,
          const std::vector<std::string>& ps_args) {
  auto rt = make_runtime(g);
  auto pids = rt.pids(id);
  if (!pids.ok()) return report(pids.error());
  if (format == "json") {
    Json arr = Json::array();
    for (pid_t p : *pids) arr.push_back(p);
    std::cout << arr.dump() << std::endl;
    return 0;
  }
  std::string args = ps_args.empty() ? "-ef" : join(ps_args, " ");
  std::string cmd = "ps " + args;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return report(errno_error("run ps"));
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = ::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  ::pclose(pipe);
  auto lines = split(output, '\n');
  if (lines.empty()) return 0;
  // Find the PID column in the header.
  auto header = split(std::string(trim(lines[0])), ' ');
  std::vector<std::string> cols;
  for (auto& h : header) {
    if (!h.empty()) cols.push_back(h);
  }
  size_t pid_col = std::find(cols.begin(), cols.end(), "PID") - cols.begin();
  if (pid_col == cols.size())
    return report(Error(ErrorCode::kInvalidArgument, "couldn't find PID field in ps output"));
  std::cout << lines[0] << "\n";
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields;
    for (auto& f : split(std::string(trim(lines[i])), ' ')) {
      if (!f.empty()) fields.push_back(f);
    }
    if (fields.size() <= pid_col) continue;
    auto p = parse_int(fields[pid_col]);
    if (p.ok() && std::find(pids->begin(), pids->end(), *p) != pids->end())
      std::cout << lines[i] << "\n";
  }
  return 0;
}

int do_events(const Globals& g, const std::string& id, bool stats_once,
              const std::string& interval) {
  auto rt = make_runtime(g);
  auto print_stats = [&]() -> bool {
    auto s = rt.stats(id);
    if (!s.ok()) {
      report(s.error());
      return false;
    }
    OrderedJson ev;
    ev["type"] = "stats";
    ev["id"] = id;
    ev["data"] = *s;
    std::cout << ev.dump() << std::endl;
    return true;
  };
  if (stats_once) return print_stats() ? 0 : 1;
  // Streaming: stats every interval, until the container stops.
  int64_t ns = 5'000'000'000;
  if (!interval.empty()) {
    std::string t = interval;
    int64_t mult = 1'000'000'000;
    if (t.size() > 2 && t.substr(t.size() - 2) == "ms") {
      mult = 1'000'000;
      t.resize(t.size() - 2);
    } else if (!t.empty() && t.back() == 's')
      t.pop_back();
    else if (!t.empty() && t.back() == 'm') {
      mult = 60'000'000'000;
      t.pop_back();
    }
    auto v = parse_int64(t);
    if (!v.ok() || *v <= 0)
      return report(Error(ErrorCode::kInvalidArgument, "invalid --interval " + interval));
    ns = *v * mult;
  }
  while (true) {
    auto entry = rt.lookup(id);
    if (!entry.ok()) return report(entry.error());
    if (entry->status == runtime::ContainerStatus::kStopped) return 0;
    if (!print_stats()) return 1;
    std::this_thread::sleep_for(std::chrono::nanoseconds(ns));
  }
}

struct UpdateFlags {
  std::string id;
  std::string resources_file;
  std::optional<uint16_t> blkio_weight;
  std::optional<uint64_t> cpu_period;
  std::optional<int64_t> cpu_quota;
  std::optional<uint64_t> cpu_share;
  std::optional<uint64_t> cpu_rt_period;
  std::optional<int64_t> cpu_rt_runtime;
  std::string cpuset_cpus;
  std::string cpuset_mems;
  std::string memory;
  std::string memory_reservation;
  std::string memory_swap;
  std::optional<int64_t> pids_limit;
};

Result<int64_t> parse_memory_flag(const std::string& text) {
  if (text == "-1") return -1;
  return parse_ram_bytes(text);
}

Result<oci::Resources> update_resources(const UpdateFlags& f) {
  oci::Resources r;
  if (!f.resources_file.empty()) {
    std::string text;
    if (f.resources_file == "-") {
      std::string line;
      while (std::getline(std::cin, line)) text += line + "\n";
    } else {
      text = TRY(read_file(f.resources_file));
    }
    Json j = TRY(parse_json(text, "resources"));
    r = TRY(oci::parse_resources(j));
  }
  if (f.blkio_weight) r.block_io.emplace().weight = *f.blkio_weight;
  auto& cpu = r.cpu;
  auto cpu_ref = [&]() -> oci::CpuResources& {
    if (!cpu) cpu.emplace();
    return *cpu;
  };
  if (f.cpu_period) cpu_ref().period = *f.cpu_period;
  if (f.cpu_quota) cpu_ref().quota = *f.cpu_quota;
  if (f.cpu_share) cpu_ref().shares = *f.cpu_share;
  if (f.cpu_rt_period) cpu_ref().realtime_period = *f.cpu_rt_period;
  if (f.cpu_rt_runtime) cpu_ref().realtime_runtime = *f.cpu_rt_runtime;
  if (!f.cpuset_cpus.empty()) cpu_ref().cpus = f.cpuset_cpus;
  if (!f.cpuset_mems.empty()) cpu_ref().mems = f.cpuset_mems;
  auto mem_ref = [&]() -> oci::MemoryResources& {
    if (!r.memory) r.memory.emplace();
    return *r.memory;
  };
  if (!f.memory.empty()) mem_ref().limit = TRY(parse_memory_flag(f.memory));
  if (!f.memory_reservation.empty())
    mem_ref().reservation = TRY(parse_memory_flag(f.memory_reservation));
  if (!f.memory_swap.empty()) mem_ref().swap = TRY(parse_memory_flag(f.memory_swap));
  if (f.pids_limit) r.pids = oci::PidsResources{*f.pids_limit};
  return r;
}

}  // namespace

void add_query_commands(CLI::App& app, Globals& g, Action& action) {
  static std::string format = "table";
  static bool quiet = false;
  auto* list = app.add_subcommand("list", "list containers");
  list->add_option("-f,--format", format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->add_flag("-q,--quiet", quiet, "display only container ids");
  list->callback([&] { action = [&] { return do_list(g, format, quiet); }; });

  static std::string id;
  static std::vector<std::string> ps_args;
  auto* ps = app.add_subcommand("ps", "list the processes of a container");
  ps->add_option("-f,--format", format, "table or json")->check(CLI::IsMember({"table", "json"}));
  ps->add_option("id", id)->required();
  ps->add_option("ps_args", ps_args, "arguments for ps(1)");
  ps->positionals_at_end();  // options after the id are ps(1)'s
  ps->callback([&] { action = [&] { return do_ps(g, id, format, ps_args); }; });

  static bool stats = false;
  static std::string interval;
  auto* events = app.add_subcommand("events", "display container events (resource usage)");
  events->add_flag("--stats", stats, "print the container's stats once and exit");
  events->add_option("--interval", interval, "stats interval (default 5s)");
  events->add_option("id", id)->required();
  events->callback([&] { action = [&] { return do_events(g, id, stats, interval); }; });

  static UpdateFlags u;
  auto* update = app.add_subcommand("update", "update a container's resource limits");
  update->add_option("-r,--resources", u.resources_file, "resources JSON file, or - for stdin");
  update->add_option("--blkio-weight", u.blkio_weight);
  update->add_option("--cpu-period", u.cpu_period);
  update->add_option("--cpu-quota", u.cpu_quota);
  update->add_option("--cpu-share", u.cpu_share);
  update->add_option("--cpu-rt-period", u.cpu_rt_period);
  update->add_option("--cpu-rt-runtime", u.cpu_rt_runtime);
  update->add_option("--cpuset-cpus", u.cpuset_cpus);
  update->add_option("--cpuset-mems", u.cpuset_mems);
  update->add_option("--memory", u.memory);
  update->add_option("--memory-reservation", u.memory_reservation);
  update->add_option("--memory-swap", u.memory_swap);
  update->add_option("--pids-limit", u.pids_limit);
  update->add_option("id", u.id)->required();
  update->callback([&] {
    action = [&] {
      auto resources = update_resources(u);
      if (!resources.ok()) return report(resources.error());
      auto rt = make_runtime(g);
      auto st = rt.update(u.id, *resources);
      return st.ok() ? 0 : report(st.error());
    };
  });
}

}  // namespace berth::runtime_cli
