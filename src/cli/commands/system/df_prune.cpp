// system df and system prune.
#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/container_rows.h"
#include "cli/format/natural_sort.h"
#include "cli/format/reference.h"
#include "cli/format/units.h"
#include "client/api_error.h"
#include "client/containers.h"
#include "client/images.h"
#include "client/networks.h"
#include "client/system.h"
#include "client/volumes.h"
#include "template/template.h"

namespace berth::cli {
namespace {

int64_t num(const Json& j, const char* key, int64_t fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : fallback;
}

Json list_of(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : Json::array();
}

std::string with_percent(int64_t reclaimable, int64_t total) {
  std::string s = human_size(static_cast<double>(reclaimable));
  if (total > 0) s += fmt::format(" ({}%)", reclaimable * 100 / total);
  return s;
}

bool active_state(const std::string& state) {
  return state == "running" || state == "paused" || state == "restarting";
}

std::vector<ListRow> summary_rows(const Json& du) {
  std::vector<ListRow> rows;
  Json images = list_of(du, "Images");
  int64_t layers = num(du, "LayersSize");
  int64_t used = 0;
  int active = 0;
  for (const auto& i : images) {
    int64_t containers = num(i, "Containers");
    if (containers > 0) ++active;
    int64_t size = num(i, "Size", -1);
    int64_t shared = num(i, "SharedSize", -1);
    if (containers != 0 && size != -1 && shared != -1) used += size - shared;
  }
  rows.push_back({Json{{"Type", "Images"},
                       {"TotalCount", std::to_string(images.size())},
                       {"Active", std::to_string(active)},
                       {"Size", human_size(static_cast<double>(layers))},
                       {"Reclaimable", with_percent(layers - used, layers)}},
                  {}});
  Json containers = list_of(du, "Containers");
  int64_t csize = 0, creclaim = 0;
  active = 0;
  for (const auto& c : containers) {
    bool is_active = active_state(c.value("State", ""));
    if (is_active) ++active;
    int64_t rw = num(c, "SizeRw");
    csize += rw;
    if (!is_active) creclaim += rw;
  }
  rows.push_back({Json{{"Type", "Containers"},
                       {"TotalCount", std::to_string(containers.size())},
                       {"Active", std::to_string(active)},
                       {"Size", human_size(static_cast<double>(csize))},
                       {"Reclaimable", with_percent(creclaim, csize)}},
                  {}});
  Json volumes = list_of(du, "Volumes");
  int64_t vsize = 0, vreclaim = 0;
  active = 0;
  for (const auto& v : volumes) {
    Json usage = v.value("UsageData", Json::object());
    if (!usage.is_object()) usage = Json::object();
    if (num(usage, "RefCount") > 0) ++active;
    int64_t s = num(usage, "Size", -1);
    if (s != -1) {
      if (num(usage, "RefCount") == 0) vreclaim += s;
      vsize += s;
    }
  }
  rows.push_back({Json{{"Type", "Local Volumes"},
                       {"TotalCount", std::to_string(volumes.size())},
                       {"Active", std::to_string(active)},
                       {"Size", human_size(static_cast<double>(vsize))},
                       {"Reclaimable", with_percent(vreclaim, vsize)}},
                  {}});
  Json cache = list_of(du, "BuildCache");
  int64_t builder = num(du, "BuilderSize");
  int64_t in_use = 0;
  active = 0;
  for (const auto& b : cache) {
    if (b.value("InUse", false)) {
      ++active;
      if (!b.value("Shared", false)) in_use += num(b, "Size");
    }
  }
  rows.push_back({Json{{"Type", "Build Cache"},
                       {"TotalCount", std::to_string(cache.size())},
                       {"Active", std::to_string(active)},
                       {"Size", human_size(static_cast<double>(builder))},
                       {"Reclaimable", human_size(static_cast<double>(builder - in_use))}},
                  {}});
  return rows;
}

Result<std::string> verbose_tables(const Json& du) {
  std::string out = "Images space usage:\n\n";
  std::vector<ListRow> rows;
  for (const auto& i : list_of(du, "Images")) {
    std::string repo = "<none>";
    std::string tag = "<none>";
    Json tags = list_of(i, "RepoTags");
    if (!tags.empty() && tags[0].get<std::string>() != "<none>:<none>") {
      auto ref = parse_normalized_named(tags[0].get<std::string>());
      if (!ref.ok()) continue;
      if (!ref->tag.empty()) {
        repo = ref->familiar_name();
        tag = ref->tag;
      }
    }
    int64_t size = num(i, "Size");
    int64_t shared = num(i, "SharedSize", -1);
    int64_t containers = num(i, "Containers", -1);
    rows.push_back({Json{{"Repository", repo},
                         {"Tag", tag},
                         {"ID", truncate_id(i.value("Id", ""))},
                         {"CreatedSince", time_ago(num(i, "Created"))},
                         {"Size", human_size(static_cast<double>(size), 3)},
                         {"SharedSize", shared == -1 ? "N/A" : human_size(static_cast<double>(shared))},
                         {"UniqueSize", shared == -1 ? "N/A" : human_size(static_cast<double>(size - shared))},
                         {"Containers", containers == -1 ? "N/A" : std::to_string(containers)}},
                    {}});
  }
  out += TRY(render_list(
      "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t"
      "{{.UniqueSize}}\t{{.Containers}}",
      Json{{"Repository", "REPOSITORY"}, {"Tag", "TAG"}, {"ID", "IMAGE ID"},
           {"CreatedSince", "CREATED"}, {"Size", "SIZE"}, {"SharedSize", "SHARED SIZE"},
           {"UniqueSize", "UNIQUE SIZE"}, {"Containers", "CONTAINERS"}},
      rows));
  out += "\nContainers space usage:\n\n";
  rows.clear();
  for (Json c : list_of(du, "Containers")) {
    c["SizeRootFs"] = 0;
    rows.push_back(container_row(c, true));
  }
  out += TRY(render_list(
      "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t"
      "{{.Status}}\t{{.Names}}",
      container_header(), rows));
  out += "\nLocal Volumes space usage:\n\n";
  rows.clear();
  for (const auto& v : list_of(du, "Volumes")) {
    Json usage = v.value("UsageData", Json());
    rows.push_back({Json{{"Name", v.value("Name", "")},
                         {"Links", usage.is_object() ? std::to_string(num(usage, "RefCount")) : "N/A"},
                         {"Size", usage.is_object() ? human_size(static_cast<double>(num(usage, "Size"))) : "N/A"}},
                    {}});
  }
  out += TRY(render_list("table {{.Name}}\t{{.Links}}\t{{.Size}}",
                         Json{{"Name", "VOLUME NAME"}, {"Links", "LINKS"}, {"Size", "SIZE"}}, rows));
  out += fmt::format("\nBuild cache usage: {}\n\n",
                     human_size(static_cast<double>(num(du, "BuilderSize"))));
  rows.clear();
  for (const auto& b : list_of(du, "BuildCache")) {
    rows.push_back({Json{{"ID", b.value("ID", "")},
                         {"CacheType", b.value("Type", "")},
                         {"Size", human_size(static_cast<double>(num(b, "Size")))},
                         {"CreatedSince", ""},
                         {"LastUsedSince", ""},
                         {"UsageCount", std::to_string(num(b, "UsageCount"))},
                         {"Shared", b.value("Shared", false) ? "true" : "false"}},
                    {}});
  }
  out += TRY(render_list(
      "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t"
      "{{.UsageCount}}\t{{.Shared}}",
      Json{{"ID", "CACHE ID"}, {"CacheType", "CACHE TYPE"}, {"Size", "SIZE"},
           {"CreatedSince", "CREATED"}, {"LastUsedSince", "LAST USED"}, {"UsageCount", "USAGE"},
           {"Shared", "SHARED"}},
      rows));
  return out;
}

}  // namespace

std::unique_ptr<Command> new_system_df_command() {
  auto cmd = new_command("df [OPTIONS]", "Show berth disk usage");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool verbose = false;
    std::string format;
  };
  auto o = std::make_shared<Options>();
  cmd->flags().add_bool("verbose", "v", &o->verbose, false, "Show detailed information on space usage");
  cmd->flags().add_string("format", "", &o->format, "", kFormatHelp);
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    Json du = TRY(client::system_disk_usage(c));
    std::string format = o->format.empty() ? "table" : o->format;
    if (o->verbose && format == "table") {
      cli.out(TRY(verbose_tables(du)));
      return 0;
    }
    if (o->verbose) {
      auto t = TRY(tmpl::Template::parse(tmpl::prepare_format(format)));
      cli.out(TRY(t.execute(du)));
      return 0;
    }
    if (format == "table") format = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    if (format == "raw") {
      format = "type: {{.Type}}\ntotal: {{.TotalCount}}\nactive: {{.Active}}\nsize: {{.Size}}\n"
               "reclaimable: {{.Reclaimable}}\n";
    }
    return print_list(cli, format,
                      Json{{"Type", "TYPE"}, {"TotalCount", "TOTAL"}, {"Active", "ACTIVE"},
                           {"Size", "SIZE"}, {"Reclaimable", "RECLAIMABLE"}},
                      summary_rows(du));
  });
  return cmd;
}

std::unique_ptr<Command> new_system_prune_command() {
  auto cmd = new_command("prune [OPTIONS]", "Remove unused data");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    bool all = false, force = false, volumes = false;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("all", "a", &o->all, false, "Remove all unused images not just dangling ones");
  f.add_bool("force", "f", &o->force, false, "Do not prompt for confirmation");
  f.add_bool("volumes", "", &o->volumes, false, "Prune anonymous volumes");
  f.add("filter", "", "Provide filter values (e.g. \"label=<key>=<value>\")",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (o->volumes && o->filters.contains("until")) {
      return Error(ErrorCode::kInvalidArgument,
                   "ERROR: The \"until\" filter is not supported with \"--volumes\"");
    }
    if (!o->force) {
      std::string msg = "WARNING! This will remove:\n  - all stopped containers\n  - all networks "
                        "not used by at least one container";
      if (o->volumes) msg += "\n  - all anonymous volumes not used by at least one container";
      msg += o->all ? "\n  - all images without at least one container associated to them"
                    : "\n  - all dangling images";
      msg += o->all ? "\n  - all build cache" : "\n  - unused build cache";
      std::vector<std::string> filters;
      for (const char* name : {"label", "label!", "until"}) {
        for (const auto& v : o->filters.get(name)) filters.push_back(std::string(name) + "=" + v);
      }
      std::sort(filters.begin(), filters.end(), natural_less);
      msg += "\n";
      if (!filters.empty()) {
        msg += "\n  Items to be pruned will be filtered with:";
        for (const auto& fl : filters) msg += "\n  - " + fl;
        msg += "\n";
      }
      msg += "\nAre you sure you want to continue?";
      if (!confirm(cli, msg)) return 0;
    }
    client::Client& c = *TRY(cli.client());
    uint64_t reclaimed = 0;
    auto print_section = [&](const char* title, const Json& ids) {
      if (!ids.is_array() || ids.empty()) return;
      std::string out = std::string(title) + ":\n";
      for (const auto& id : ids) out += id.get<std::string>() + "\n";
      cli.out(out + "\n");
    };
    Json containers = TRY(client::container_prune(c, o->filters));
    print_section("Deleted Containers", containers.value("ContainersDeleted", Json()));
    if (!containers.value("ContainersDeleted", Json()).empty()) {
      reclaimed += containers.value("SpaceReclaimed", uint64_t{0});
    }
    Json networks = TRY(client::network_prune(c, o->filters));
    print_section("Deleted Networks", networks.value("NetworksDeleted", Json()));
    if (o->volumes) {
      Json volumes = TRY(client::volume_prune(c, o->filters));
      print_section("Deleted Volumes", volumes.value("VolumesDeleted", Json()));
      if (!volumes.value("VolumesDeleted", Json()).empty()) {
        reclaimed += volumes.value("SpaceReclaimed", uint64_t{0});
      }
    }
    client::Filters image_filters = o->filters;
    image_filters.add("dangling", o->all ? "false" : "true");
    Json images = TRY(client::image_prune(c, image_filters));
    Json deleted = images.value("ImagesDeleted", Json());
    if (deleted.is_array() && !deleted.empty()) {
      std::string out = "Deleted Images:\n";
      for (const auto& d : deleted) {
        std::string untagged = d.value("Untagged", "");
        out += untagged.empty() ? "deleted: " + d.value("Deleted", "") + "\n"
                                : "untagged: " + untagged + "\n";
      }
      cli.out(out + "\n");
      reclaimed += images.value("SpaceReclaimed", uint64_t{0});
    }
    // Build cache: a daemon without a builder has no /build/prune; that is nothing to prune.
    http::QueryParams q;
    if (o->all) q.set("all", "1");
    if (!o->filters.empty()) q.set("filters", o->filters.to_json());
    auto cache = c.post_json("/build/prune", q);
    if (cache.ok() && cache->is_object()) {
      print_section("Deleted build cache objects", cache->value("CachesDeleted", Json()));
      reclaimed += cache->value("SpaceReclaimed", uint64_t{0});
    }
    cli.out("Total reclaimed space: " + human_size(static_cast<double>(reclaimed)) + "\n");
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
