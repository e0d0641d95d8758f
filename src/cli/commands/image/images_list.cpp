// images / image ls and history (formatter/image.go, image/formatter_history.go).
#include <ctime>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/reference.h"
#include "cli/format/units.h"
#include "client/images.h"

namespace berth::cli {
namespace {

constexpr const char* kImageTable =
    "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A"
    "{{end}}\t{{.Size}}";
constexpr const char* kImageTableDigest =
    "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}"
    "{{else}}N/A{{end}}\t{{.Size}}";

int64_t num(const Json& j, const char* key, int64_t fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : fallback;
}

Json image_fields(const Json& img, bool trunc, const std::string& repo, const std::string& tag,
                  const std::string& digest) {
  Json f = Json::object();
  std::string id = img.value("Id", "");
  f["ID"] = trunc ? truncate_id(id) : id;
  f["Repository"] = repo;
  f["Tag"] = tag;
  f["Digest"] = digest;
  int64_t created = num(img, "Created");
  f["CreatedSince"] = time_ago(created);
  f["CreatedAt"] = go_time_string(created);
  int64_t size = num(img, "Size");
  int64_t shared = num(img, "SharedSize", -1);
  int64_t containers = num(img, "Containers", -1);
  f["Size"] = human_size(static_cast<double>(size), 3);
  f["Containers"] = containers == -1 ? "N/A" : std::to_string(containers);
  f["VirtualSize"] = human_size(static_cast<double>(size));
  f["SharedSize"] = shared == -1 ? "N/A" : human_size(static_cast<double>(shared));
  f["UniqueSize"] =
      size == -1 || shared == -1 ? "N/A" : human_size(static_cast<double>(size - shared));
  return f;
}

std::vector<std::string> strings_of(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (auto it = j.find(key); it != j.end() && it->is_array()) {
    for (const auto& s : *it) {
      if (s.is_string()) out.push_back(s.get<std::string>());
    }
  }
  return out;
}

// formatter.imageFormat: one row per repository:tag (and digest when shown).
std::vector<ListRow> image_rows(const Json& img, bool trunc, bool digest_flag, bool need_digest) {
  std::vector<ListRow> rows;
  std::vector<std::string> tags = strings_of(img, "RepoTags");
  std::vector<std::string> digests = strings_of(img, "RepoDigests");
  bool dangling = (tags.empty() && digests.empty()) ||
                  (tags.size() == 1 && tags[0] == "<none>:<none>" && digests.size() == 1 &&
                   digests[0] == "<none>@<none>");
  if (dangling) {
    rows.push_back({image_fields(img, trunc, "<none>", "<none>", "<none>"), {}});
    return rows;
  }
  // Repositories in the order they first appear (docker walks a map: its order is random).
  std::vector<std::string> repo_order;
  std::map<std::string, std::vector<std::string>> repo_tags;
  std::vector<std::string> digest_order;
  std::map<std::string, std::vector<std::string>> repo_digests;
  for (const auto& t : tags) {
    auto ref = parse_normalized_named(t);
    if (!ref.ok() || ref->tag.empty()) continue;
    std::string name = ref->familiar_name();
    if (!repo_tags.count(name)) repo_order.push_back(name);
    repo_tags[name].push_back(ref->tag);
  }
  for (const auto& d : digests) {
    auto ref = parse_normalized_named(d);
    if (!ref.ok() || ref->digest.empty()) continue;
    std::string name = ref->familiar_name();
    if (!repo_digests.count(name)) digest_order.push_back(name);
    repo_digests[name].push_back(ref->digest);
  }
  for (const auto& repo : repo_order) {
    std::vector<std::string> ds = repo_digests[repo];
    repo_digests.erase(repo);
    if (!need_digest) ds.clear();
    for (const auto& tag : repo_tags[repo]) {
      if (ds.empty()) {
        rows.push_back({image_fields(img, trunc, repo, tag, "<none>"), {}});
        continue;
      }
      for (const auto& d : ds) rows.push_back({image_fields(img, trunc, repo, tag, d), {}});
    }
  }
  for (const auto& repo : digest_order) {
    auto it = repo_digests.find(repo);
    if (it == repo_digests.end()) continue;
    if (digest_flag) {
      for (const auto& d : it->second) rows.push_back({image_fields(img, trunc, repo, "<none>", d), {}});
    } else {
      rows.push_back({image_fields(img, trunc, repo, "<none>", ""), {}});
    }
  }
  return rows;
}

Json image_header() {
  return Json{{"ID", "IMAGE ID"},           {"Repository", "REPOSITORY"}, {"Tag", "TAG"},
              {"Digest", "DIGEST"},         {"CreatedSince", "CREATED"},  {"CreatedAt", "CREATED AT"},
              {"Size", "SIZE"},             {"Containers", "CONTAINERS"}, {"VirtualSize", "SIZE"},
              {"SharedSize", "SHARED SIZE"}, {"UniqueSize", "UNIQUE SIZE"}};
}

struct ImagesOptions {
  bool quiet = false;
  bool all = false;
  bool no_trunc = false;
  bool digests = false;
  bool tree = false;
  std::string format;
  client::Filters filters;
};

Result<int> run_images(Invocation& inv, ImagesOptions& o) {
  Cli& cli = inv.cli;
  client::ImageListOptions lo;
  lo.all = o.all;
  lo.filters = o.filters;
  if (!inv.args.empty()) lo.filters.add("reference", inv.args[0]);
  if (o.tree) {
    if (o.quiet) return Error(ErrorCode::kInvalidArgument, "--quiet is not yet supported with --tree");
    if (o.no_trunc) {
      return Error(ErrorCode::kInvalidArgument, "--no-trunc is not yet supported with --tree");
    }
    if (o.digests) {
      return Error(ErrorCode::kInvalidArgument, "--show-digest is not yet supported with --tree");
    }
    if (!o.format.empty()) {
      return Error(ErrorCode::kInvalidArgument, "--format is not yet supported with --tree");
    }
  }
  client::Client& c = *TRY(cli.client());
  Json images = TRY(client::image_list(c, lo));
  std::string format = o.format;
  if (format.empty()) {
    std::string configured = cli.config().images_format();
    format = !configured.empty() && !o.quiet ? configured : "table";
  }
  // formatter.NewImageFormat.
  std::string final_format;
  if (format == "table") {
    final_format = o.quiet ? "{{.ID}}" : o.digests ? kImageTableDigest : kImageTable;
  } else if (format == "raw") {
    final_format = o.quiet ? "image_id: {{.ID}}"
                   : o.digests
                       ? "repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: "
                         "{{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n"
                       : "repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: "
                         "{{.CreatedAt}}\nvirtual_size: {{.Size}}\n";
  } else {
    final_format = format;
    if (final_format.starts_with("table") && o.digests &&
        final_format.find("{{.Digest}}") == std::string::npos) {
      final_format += "\t{{.Digest}}";
    }
  }
  bool need_digest = o.digests || final_format.find("{{.Digest}}") != std::string::npos;
  std::vector<ListRow> rows;
  if (images.is_array()) {
    for (const auto& img : images) {
      for (auto& r : image_rows(img, !o.no_trunc, o.digests, need_digest)) rows.push_back(std::move(r));
    }
  }
  return print_list(cli, final_format, image_header(), rows);
}

}  // namespace

std::unique_ptr<Command> new_images_command(bool top_level) {
  auto cmd = new_command(top_level ? "images [OPTIONS] [REPOSITORY[:TAG]]"
                                   : "ls [OPTIONS] [REPOSITORY[:TAG]]",
                         "List images", "berth image ls, berth image list, berth images");
  if (top_level) {
    cmd->top_order = 7;
  } else {
    cmd->aliases = {"images", "list"};
  }
  cmd->set_args(ArgRule::kMax, 1);
  auto o = std::make_shared<ImagesOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("quiet", "q", &o->quiet, false, "Only show image IDs");
  f.add_bool("all", "a", &o->all, false, "Show all images (default hides intermediate images)");
  f.add_bool("no-trunc", "", &o->no_trunc, false, "Don't truncate output");
  f.add_bool("digests", "", &o->digests, false, "Show digests");
  f.add_string("format", "", &o->format, "", kFormatHelp);
  f.add("filter", "f", "Filter output based on conditions provided",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  f.add_bool("tree", "", &o->tree, false, "List multi-platform images as a tree (EXPERIMENTAL)");
  cmd->set_run([o](Invocation& inv) { return run_images(inv, *o); });
  return cmd;
}

std::unique_ptr<Command> new_history_command() {
  auto cmd = new_command("history [OPTIONS] IMAGE", "Show the history of an image",
                         "berth image history, berth history");
  cmd->set_args(ArgRule::kExact, 1);
  struct Options {
    bool human = true, quiet = false, no_trunc = false;
    std::string format;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("human", "H", &o->human, true, "Print sizes and dates in human readable format");
  f.add_bool("quiet", "q", &o->quiet, false, "Only show image IDs");
  f.add_bool("no-trunc", "", &o->no_trunc, false, "Don't truncate output");
  f.add_string("format", "", &o->format, "", kFormatHelp);
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    Json history = TRY(client::image_history(c, inv.args[0]));
    std::string format = o->format.empty() ? "table" : o->format;
    if (format == "table") {
      format = o->quiet ? "{{.ID}}"
               : !o->human
                   ? "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
                   : "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    }
    const int64_t epoch = 946684800;  // 2000-01-01: older dates print as N/A
    std::vector<ListRow> rows;
    for (const auto& h : history) {
      Json row = Json::object();
      std::string id = h.value("Id", "");
      row["ID"] = !o->no_trunc ? truncate_id(id) : id;
      int64_t created = h.value("Created", int64_t{0});
      char buf[64];
      time_t t = static_cast<time_t>(created);
      struct tm tm {};
      localtime_r(&t, &tm);
      std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
      std::string rfc3339 = buf;
      // Go's RFC3339 writes the zone as Z or +hh:mm.
      if (rfc3339.ends_with("+0000")) {
        rfc3339 = rfc3339.substr(0, rfc3339.size() - 5) + "Z";
      } else {
        rfc3339.insert(rfc3339.size() - 2, ":");
      }
      row["CreatedAt"] = rfc3339;
      row["CreatedSince"] = !o->human ? rfc3339 : created <= epoch ? "N/A" : time_ago(created);
      std::string created_by = h.value("CreatedBy", "");
      for (char& ch : created_by) {
        if (ch == '\t') ch = ' ';
      }
      row["CreatedBy"] = !o->no_trunc ? ellipsis(created_by, 45) : created_by;
      int64_t size = h.value("Size", int64_t{0});
      row["Size"] = o->human ? human_size(static_cast<double>(size), 3) : std::to_string(size);
      row["Comment"] = h.value("Comment", "");
      rows.push_back({row, {}});
    }
    Json header{{"ID", "IMAGE"},           {"CreatedSince", "CREATED"}, {"CreatedAt", "CREATED AT"},
                {"CreatedBy", "CREATED BY"}, {"Size", "SIZE"},        {"Comment", "COMMENT"}};
    return print_list(cli, format, header, rows);
  });
  return cmd;
}

}  // namespace berth::cli
