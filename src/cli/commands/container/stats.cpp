// stats (cli/command/container/stats.go, stats_helpers.go, formatter_stats.go).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/units.h"
#include "client/containers.h"
#include "client/system.h"
#include "template/go_float.h"

namespace berth::cli {
namespace {

constexpr const char* kDefaultStatsTable =
    "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}"
    "\t{{.PIDs}}";

struct Entry {
  std::string container;
  std::string name;
  std::string id;
  double cpu = 0, memory = 0, memory_limit = 0, memory_percent = 0;
  double net_rx = 0, net_tx = 0, block_read = 0, block_write = 0;
  uint64_t pids = 0;
  bool invalid = false;
  std::string error;
};

// One container's statistics, updated by its collector thread.
struct Tracked {
  std::mutex mu;
  Entry entry;
  bool first = false;
};

struct Shared {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::shared_ptr<Tracked>> list;
  int pending_first = 0;
};

uint64_t u64(const Json& j, std::initializer_list<const char*> path) {
  const Json* cur = &j;
  for (const char* key : path) {
    if (!cur->is_object()) return 0;
    auto it = cur->find(key);
    if (it == cur->end()) return 0;
    cur = &*it;
  }
  return cur->is_number() ? cur->get<uint64_t>() : 0;
}

Entry compute(const std::string& container, const Json& v) {
  Entry e;
  e.container = container;
  e.name = v.value("name", "");
  e.id = v.value("id", "");
  double cpu_delta = static_cast<double>(u64(v, {"cpu_stats", "cpu_usage", "total_usage"})) -
                     static_cast<double>(u64(v, {"precpu_stats", "cpu_usage", "total_usage"}));
  double system_delta = static_cast<double>(u64(v, {"cpu_stats", "system_cpu_usage"})) -
                        static_cast<double>(u64(v, {"precpu_stats", "system_cpu_usage"}));
  double online = static_cast<double>(u64(v, {"cpu_stats", "online_cpus"}));
  if (online == 0.0) {
    const Json& per = v["cpu_stats"]["cpu_usage"]["percpu_usage"];
    online = per.is_array() ? static_cast<double>(per.size()) : 0;
  }
  if (system_delta > 0.0 && cpu_delta > 0.0) e.cpu = cpu_delta / system_delta * online * 100.0;
  if (auto blk = v.find("blkio_stats"); blk != v.end() && blk->is_object()) {
    const Json& entries = (*blk)["io_service_bytes_recursive"];
    if (entries.is_array()) {
      for (const auto& b : entries) {
        std::string op = b.value("op", "");
        if (op.empty()) continue;
        uint64_t value = b.value("value", uint64_t{0});
        if (op[0] == 'r' || op[0] == 'R') e.block_read += static_cast<double>(value);
        if (op[0] == 'w' || op[0] == 'W') e.block_write += static_cast<double>(value);
      }
    }
  }
  uint64_t usage = u64(v, {"memory_stats", "usage"});
  const Json stats = v.contains("memory_stats") && v["memory_stats"].is_object()
                         ? v["memory_stats"].value("stats", Json::object())
                         : Json::object();
  double mem = static_cast<double>(usage);
  if (auto it = stats.find("total_inactive_file"); it != stats.end() && it->get<uint64_t>() < usage) {
    mem = static_cast<double>(usage - it->get<uint64_t>());
  } else if (uint64_t inactive = stats.value("inactive_file", uint64_t{0}); inactive < usage) {
    mem = static_cast<double>(usage - inactive);
  }
  e.memory = mem;
  e.memory_limit = static_cast<double>(u64(v, {"memory_stats", "limit"}));
  e.memory_percent = e.memory_limit != 0 ? mem / e.memory_limit * 100.0 : 0;
  e.pids = u64(v, {"pids_stats", "current"});
  if (auto nets = v.find("networks"); nets != v.end() && nets->is_object()) {
    for (const auto& [k, n] : nets->items()) {
      e.net_rx += static_cast<double>(n.value("rx_bytes", uint64_t{0}));
      e.net_tx += static_cast<double>(n.value("tx_bytes", uint64_t{0}));
    }
  }
  return e;
}

std::string percent(double v) { return tmpl::go_format_float(v, 'f', 2) + "%"; }

ListRow stats_row(const Entry& e, bool trunc) {
  Json f = Json::object();
  f["Container"] = e.container;
  f["Name"] = e.name.size() > 1 ? e.name.substr(1) : "--";
  f["ID"] = trunc ? truncate_id(e.id) : e.id;
  f["CPUPerc"] = e.invalid ? "--" : percent(e.cpu);
  f["MemUsage"] = e.invalid ? "-- / --" : bytes_size(e.memory) + " / " + bytes_size(e.memory_limit);
  f["MemPerc"] = e.invalid ? "--" : percent(e.memory_percent);
  f["NetIO"] = e.invalid ? "--" : human_size(e.net_rx, 3) + " / " + human_size(e.net_tx, 3);
  f["BlockIO"] = e.invalid ? "--" : human_size(e.block_read, 3) + " / " + human_size(e.block_write, 3);
  f["PIDs"] = e.invalid ? "--" : std::to_string(e.pids);
  return {f, {}};
}

Json stats_header() {
  return Json{{"Container", "CONTAINER"}, {"Name", "NAME"},          {"ID", "CONTAINER ID"},
              {"CPUPerc", "CPU %"},       {"MemUsage", "MEM USAGE / LIMIT"}, {"MemPerc", "MEM %"},
              {"NetIO", "NET I/O"},       {"BlockIO", "BLOCK I/O"},  {"PIDs", "PIDS"}};
}

// docker's collect(): reads the stats stream, marks the first answer (or a 2 s timeout).
void collect(client::Client& c, std::shared_ptr<Tracked> t, bool stream,
             std::shared_ptr<Shared> shared) {
  auto mark_first = [&] {
    std::lock_guard lock(t->mu);
    if (t->first) return;
    t->first = true;
    std::lock_guard slock(shared->mu);
    --shared->pending_first;
    shared->cv.notify_all();
  };
  // The 2 s timeout releases the first wait even if the daemon is slow.
  std::thread([t, mark_first]() mutable {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    mark_first();
  }).detach();
  std::string container;
  {
    std::lock_guard lock(t->mu);
    container = t->entry.container;
  }
  auto s = client::container_stats(c, container, stream, false);
  if (!s.ok()) {
    {
      std::lock_guard lock(t->mu);
      t->entry.error = s.error().message();
      t->entry.invalid = true;
    }
    mark_first();
    return;
  }
  while (true) {
    auto line = (*s)->read_line();
    if (!line.ok() || !line->has_value()) break;
    if (trim(**line).empty()) continue;
    auto v = parse_json(**line, "stats");
    if (!v.ok()) continue;
    Entry e = compute(container, *v);
    {
      std::lock_guard lock(t->mu);
      t->entry = e;
    }
    mark_first();
    if (!stream) break;
  }
  mark_first();
}

struct StatsOptions {
  bool all = false;
  bool no_stream = false;
  bool no_trunc = false;
  std::string format;
};

Result<int> run_stats(Invocation& inv, const StatsOptions& o) {
  Cli& cli = inv.cli;
  client::Client& c = *TRY(cli.client());
  auto shared = std::make_shared<Shared>();
  std::map<std::string, std::shared_ptr<Tracked>> by_id;
  auto add = [&](const std::string& container) {
    std::lock_guard lock(shared->mu);
    for (const auto& t : shared->list) {
      if (t->entry.container == container) return;
    }
    auto t = std::make_shared<Tracked>();
    t->entry.container = container;
    shared->list.push_back(t);
    ++shared->pending_first;
    std::thread([&c, t, stream = !o.no_stream, shared] { collect(c, t, stream, shared); }).detach();
  };
  bool show_all = inv.args.empty();
  if (show_all) {
    client::ContainerListOptions lo;
    lo.all = o.all;
    Json list = TRY(client::container_list(c, lo));
    for (const auto& item : list) add(item.value("Id", "").substr(0, 12));
    if (!o.no_stream) {
      // Containers that start later join the table, as docker's event handler adds them.
      client::EventsOptions eo;
      eo.filters.add("type", "container");
      auto events = client::system_events(c, eo);
      if (events.ok()) {
        std::thread([ev = std::shared_ptr<http::ResponseStream>(std::move(events).value()), add,
                     all = o.all, shared]() mutable {
          while (true) {
            auto line = ev->read_line();
            if (!line.ok() || !line->has_value()) return;
            auto e = parse_json(**line, "event");
            if (!e.ok()) continue;
            std::string action = e->value("Action", e->value("status", ""));
            std::string id = (*e)["Actor"].value("ID", e->value("id", ""));
            if (id.size() < 12) continue;
            if (action == "start" || (all && action == "create")) add(id.substr(0, 12));
            if (!all && action == "die") {
              std::lock_guard lock(shared->mu);
              std::erase_if(shared->list, [&](const auto& t) {
                return t->entry.container == id.substr(0, 12);
              });
            }
          }
        }).detach();
      }
    }
  } else {
    for (const auto& id : inv.args) add(id);
  }
  {
    std::unique_lock lock(shared->mu);
    shared->cv.wait(lock, [&] { return shared->pending_first <= 0; });
  }
  if (!show_all) {
    std::vector<std::string> errors;
    std::lock_guard lock(shared->mu);
    for (const auto& t : shared->list) {
      std::lock_guard tl(t->mu);
      if (!t->entry.error.empty()) errors.push_back(t->entry.error);
    }
    if (!errors.empty()) return Error(ErrorCode::kUnknown, join(errors, "\n"));
  }
  std::string format = o.format;
  if (format.empty()) format = cli.config().string_field("statsFormat");
  if (format.empty() || format == "table") format = kDefaultStatsTable;
  while (true) {
    std::vector<ListRow> rows;
    size_t count;
    {
      std::lock_guard lock(shared->mu);
      count = shared->list.size();
      for (const auto& t : shared->list) {
        std::lock_guard tl(t->mu);
        rows.push_back(stats_row(t->entry, !o.no_trunc));
      }
    }
    std::string text = TRY(render_list(format, stats_header(), rows));
    if (!o.no_stream) {
      // docker's redraw: home, the table, each line again with clear-to-end-of-line, then
      // clear-to-end-of-screen.
      std::string buffer = "\033[H" + text;
      std::string snapshot = buffer;
      for (const auto& line : split(snapshot, '\n')) buffer += line + " \033[K\n";
      buffer += "\033[J";
      text = buffer;
    }
    cli.out(text);
    if (count == 0 && !show_all) break;
    if (o.no_stream) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> new_stats_command() {
  auto cmd = new_command("stats [OPTIONS] [CONTAINER...]",
                         "Display a live stream of container(s) resource usage statistics",
                         "berth container stats, berth stats");
  auto o = std::make_shared<StatsOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("all", "a", &o->all, false, "Show all containers (default shows just running)");
  f.add_bool("no-stream", "", &o->no_stream, false,
             "Disable streaming stats and only pull the first result");
  f.add_bool("no-trunc", "", &o->no_trunc, false, "Do not truncate output");
  f.add_string("format", "", &o->format, "", kFormatHelp);
  cmd->set_run([o](Invocation& inv) { return run_stats(inv, *o); });
  return cmd;
}

}  // namespace berth::cli
