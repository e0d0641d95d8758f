// commit, update and container prune.
#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/reference.h"
#include "cli/format/units.h"
#include "cli/run/device_opts.h"
#include "client/containers.h"

namespace berth::cli {
namespace {

std::shared_ptr<FlagValue> bytes_flag(int64_t* target, bool swap) {
  return std::make_shared<ParsedIntValue>(
      target, "bytes",
      [swap](std::string_view t) -> Result<int64_t> {
        if (swap && t == "-1") return int64_t{-1};
        return ram_in_bytes(t);
      },
      [](int64_t v) { return v != 0 ? bytes_size(static_cast<double>(v)) : "0"; });
}

}  // namespace

std::unique_ptr<Command> new_commit_command() {
  auto cmd = new_command("commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
                         "Create a new image from a container's changes",
                         "berth container commit, berth commit");
  cmd->set_args(ArgRule::kRange, 1, 2);
  struct Options {
    bool pause = true;
    std::string comment;
    std::string author;
    std::vector<std::string> changes;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("pause", "p", &o->pause, true, "Pause container during commit");
  f.add_string("message", "m", &o->comment, "", "Commit message");
  f.add_string("author", "a", &o->author, "",
               "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")");
  f.add_list("change", "c", &o->changes, "Apply Dockerfile instruction to the created image");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    client::CommitOptions co;
    if (inv.args.size() == 2) {
      ImageReference ref = TRY(parse_normalized_named(inv.args[1]));
      if (!ref.digest.empty()) {
        return Error(ErrorCode::kInvalidArgument, "refusing to create a tag with a digest reference");
      }
      co.reference = ref.familiar_name() + (ref.tag.empty() ? "" : ":" + ref.tag);
    }
    co.comment = o->comment;
    co.author = o->author;
    co.changes = o->changes;
    co.pause = o->pause;
    client::Client& c = *TRY(inv.cli.client());
    std::string id = TRY(client::container_commit(c, inv.args[0], co));
    inv.cli.out(id + "\n");
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_update_command() {
  auto cmd = new_command("update [OPTIONS] CONTAINER [CONTAINER...]",
                         "Update configuration of one or more containers",
                         "berth container update, berth update");
  cmd->set_args(ArgRule::kMin, 1);
  struct Options {
    int64_t blkio_weight = 0, cpu_period = 0, cpu_quota = 0, cpu_rt_period = 0,
            cpu_rt_runtime = 0, cpu_shares = 0, memory = 0, memory_reservation = 0,
            memory_swap = 0, kernel_memory = 0, pids_limit = 0, nano_cpus = 0;
    std::string cpuset_cpus, cpuset_mems, restart;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_uint("blkio-weight", "", &o->blkio_weight, 0,
             "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)",
             "uint16", 16);
  f.add_int("cpu-period", "", &o->cpu_period, 0, "Limit CPU CFS (Completely Fair Scheduler) period",
            "int64");
  f.add_int("cpu-quota", "", &o->cpu_quota, 0, "Limit CPU CFS (Completely Fair Scheduler) quota",
            "int64");
  f.add_int("cpu-rt-period", "", &o->cpu_rt_period, 0,
            "Limit the CPU real-time period in microseconds", "int64");
  f.add_int("cpu-rt-runtime", "", &o->cpu_rt_runtime, 0,
            "Limit the CPU real-time runtime in microseconds", "int64");
  f.add_string("cpuset-cpus", "", &o->cpuset_cpus, "", "CPUs in which to allow execution (0-3, 0,1)");
  f.add_string("cpuset-mems", "", &o->cpuset_mems, "", "MEMs in which to allow execution (0-3, 0,1)");
  f.add_int("cpu-shares", "c", &o->cpu_shares, 0, "CPU shares (relative weight)", "int64");
  f.add("memory", "m", "Memory limit", bytes_flag(&o->memory, false));
  f.add("memory-reservation", "", "Memory soft limit", bytes_flag(&o->memory_reservation, false));
  f.add("memory-swap", "", "Swap limit equal to memory plus swap: -1 to enable unlimited swap",
        bytes_flag(&o->memory_swap, true));
  f.add("kernel-memory", "", "Kernel memory limit (deprecated)", bytes_flag(&o->kernel_memory, false))
      .hidden = true;
  f.add_string("restart", "", &o->restart, "", "Restart policy to apply when a container exits");
  f.add_int("pids-limit", "", &o->pids_limit, 0, "Tune container pids limit (set -1 for unlimited)",
            "int64");
  f.add("cpus", "", "Number of CPUs",
        std::make_shared<ParsedIntValue>(&o->nano_cpus, "decimal", parse_cpus, [](int64_t v) {
          return v == 0 ? std::string() : cpus_string(v);
        }));
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    int set = 0;
    for (const Flag* fl : inv.command.flags().sorted()) set += fl->changed ? 1 : 0;
    if (set == 0) {
      return Error(ErrorCode::kInvalidArgument,
                   "you must provide one or more flags when using this command");
    }
    std::string restart_name;
    int64_t restart_count = 0;
    if (!o->restart.empty()) {
      bool ok = false;
      auto [k, v] = split_once(o->restart, ':', &ok);
      if (ok && k.empty()) {
        return Error(ErrorCode::kInvalidArgument,
                     "invalid restart policy format: no policy provided before colon");
      }
      if (!v.empty()) {
        auto n = parse_int64(v);
        if (!n.ok()) {
          return Error(ErrorCode::kInvalidArgument,
                       "invalid restart policy format: maximum retry count must be an integer");
        }
        restart_count = *n;
      }
      restart_name = std::string(k);
    }
    // container.UpdateConfig: Resources (in Go's order) and RestartPolicy.
    Json body = Json::object();
    body["CpuShares"] = o->cpu_shares;
    body["Memory"] = o->memory;
    body["NanoCpus"] = o->nano_cpus;
    body["CgroupParent"] = "";
    body["BlkioWeight"] = o->blkio_weight;
    for (const char* k : {"BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps",
                          "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps", "Devices",
                          "DeviceCgroupRules", "DeviceRequests", "MemorySwappiness",
                          "OomKillDisable", "Ulimits"}) {
      body[k] = nullptr;
    }
    body["CpuPeriod"] = o->cpu_period;
    body["CpuQuota"] = o->cpu_quota;
    body["CpuRealtimePeriod"] = o->cpu_rt_period;
    body["CpuRealtimeRuntime"] = o->cpu_rt_runtime;
    body["CpusetCpus"] = o->cpuset_cpus;
    body["CpusetMems"] = o->cpuset_mems;
    if (o->kernel_memory != 0) body["KernelMemory"] = o->kernel_memory;
    body["MemoryReservation"] = o->memory_reservation;
    body["MemorySwap"] = o->memory_swap;
    body["PidsLimit"] = o->pids_limit != 0 ? Json(o->pids_limit) : Json(nullptr);
    body["CpuCount"] = 0;
    body["CpuPercent"] = 0;
    body["IOMaximumIOps"] = 0;
    body["IOMaximumBandwidth"] = 0;
    body["RestartPolicy"] = {{"Name", restart_name}, {"MaximumRetryCount", restart_count}};
    client::Client& c = *TRY(cli.client());
    std::vector<std::string> warnings;
    std::vector<std::string> errors;
    for (const auto& id : inv.args) {
      auto r = client::container_update(c, id, body);
      if (!r.ok()) {
        errors.push_back(r.error().message());
        continue;
      }
      cli.out(id + "\n");
      if (r->is_object() && (*r)["Warnings"].is_array()) {
        for (const auto& w : (*r)["Warnings"]) warnings.push_back(w.get<std::string>());
      }
    }
    if (!warnings.empty()) cli.out(join(warnings, "\n") + "\n");
    if (!errors.empty()) return cli.fail(join(errors, "\n"), 1);
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_container_prune_command() {
  auto cmd = new_command("prune [OPTIONS]", "Remove all stopped containers");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool force = false;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("force", "f", &o->force, false, "Do not prompt for confirmation");
  f.add("filter", "", "Provide filter values (e.g. \"until=<timestamp>\")",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (!o->force && !confirm(cli, "WARNING! This will remove all stopped containers.\nAre you "
                                   "sure you want to continue?")) {
      return 0;
    }
    client::Client& c = *TRY(cli.client());
    Json report = TRY(client::container_prune(c, o->filters));
    uint64_t reclaimed = 0;
    const Json& deleted = report.is_object() ? report["ContainersDeleted"] : Json();
    if (deleted.is_array() && !deleted.empty()) {
      std::string out = "Deleted Containers:\n";
      for (const auto& id : deleted) out += id.get<std::string>() + "\n";
      cli.out(out + "\n");
      reclaimed = report.value("SpaceReclaimed", uint64_t{0});
    }
    cli.out("Total reclaimed space: " + human_size(static_cast<double>(reclaimed)) + "\n");
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
