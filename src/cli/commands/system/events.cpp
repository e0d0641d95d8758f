// events (cli/command/system/events.go).
#include <ctime>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "client/system.h"
#include "template/template.h"

namespace berth::cli {
namespace {

// jsonmessage.RFC3339NanoFixed in the local zone: "2006-01-02T15:04:05.000000000Z07:00".
std::string rfc3339_nano_fixed(int64_t nanos) {
  time_t secs = static_cast<time_t>(nanos / 1000000000);
  struct tm tm {};
  localtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string zone;
  long off = tm.tm_gmtoff;
  if (off == 0) {
    zone = "Z";
  } else {
    long a = off < 0 ? -off : off;
    zone = fmt::format("{}{:02}:{:02}", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
  }
  return fmt::format("{}.{:09}{}", buf, nanos % 1000000000, zone);
}

std::string pretty_event(const Json& e) {
  std::string out;
  int64_t time_nano = e.value("timeNano", int64_t{0});
  int64_t time_sec = e.value("time", int64_t{0});
  if (time_nano != 0) {
    out += rfc3339_nano_fixed(time_nano) + " ";
  } else if (time_sec != 0) {
    out += rfc3339_nano_fixed(time_sec * 1000000000) + " ";
  }
  Json actor = e.value("Actor", Json::object());
  out += fmt::format("{} {} {}", e.value("Type", ""), e.value("Action", ""),
                     actor.is_object() ? actor.value("ID", "") : "");
  if (actor.is_object() && actor.contains("Attributes") && actor["Attributes"].is_object() &&
      !actor["Attributes"].empty()) {
    std::vector<std::string> attrs;
    for (const auto& [k, v] : actor["Attributes"].items()) {
      attrs.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
    }
    out += " (" + join(attrs, ", ") + ")";
  }
  return out + "\n";
}

// `{{json .}}` of docker's events.Message struct: its fields in declaration order (omitempty
// ones left out when empty), Actor as {ID, Attributes}, the attribute map with sorted keys as Go
// writes maps; fields the struct does not know are dropped.
std::string event_json(const Json& e) {
  auto field = [](std::string_view key, const Json& value) {
    return fmt::format("\"{}\":{}", key, json_line(value));
  };
  auto string_in = [](const Json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto str = [&](const char* key) { return string_in(e, key); };
  auto num = [&e](const char* key) {
    auto it = e.find(key);
    return it != e.end() && it->is_number_integer() ? it->get<int64_t>() : int64_t{0};
  };
  std::vector<std::string> parts;
  for (const char* key : {"status", "id", "from"}) {
    if (std::string v = str(key); !v.empty()) parts.push_back(field(key, v));
  }
  parts.push_back(field("Type", str("Type")));
  parts.push_back(field("Action", str("Action")));
  Json actor = e.value("Actor", Json::object());
  if (!actor.is_object()) actor = Json::object();
  Json attrs = actor.value("Attributes", Json(nullptr));  // a nil map encodes as null
  parts.push_back(fmt::format("\"Actor\":{{{},{}}}", field("ID", string_in(actor, "ID")),
                              field("Attributes", attrs)));
  if (std::string v = str("scope"); !v.empty()) parts.push_back(field("scope", v));
  if (int64_t v = num("time"); v != 0) parts.push_back(field("time", v));
  if (int64_t v = num("timeNano"); v != 0) parts.push_back(field("timeNano", v));
  return "{" + join(parts, ",") + "}";
}

}  // namespace

std::unique_ptr<Command> new_events_command() {
  auto cmd = new_command("events [OPTIONS]", "Get real time events from the server",
                         "berth system events, berth events");
  cmd->set_args(ArgRule::kNone);
  struct Options {
    std::string since, until, format;
    client::Filters filters;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_string("since", "", &o->since, "", "Show all events created since timestamp");
  f.add_string("until", "", &o->until, "", "Stream events until this timestamp");
  f.add("filter", "f", "Filter output based on conditions provided",
        std::make_shared<CustomValue>(
            "filter", [o](std::string_view v) { return o->filters.parse_flag(v); }, nullptr));
  f.add_string("format", "", &o->format, "", kInspectFormatHelp);
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    std::optional<tmpl::Template> t;
    // `{{json .}}` encodes docker's events.Message struct (its field order); the generic
    // template path would sort the keys of the parsed Json.
    bool raw_json = o->format == "json" || tmpl::prepare_format(o->format) == "{{json .}}";
    if (!o->format.empty() && !raw_json) {
      std::string text = o->format == "json" ? "{{json .}}" : tmpl::expand_format_escapes(o->format);
      auto parsed = tmpl::Template::parse(text);
      if (!parsed.ok()) return cli.fail("template parsing error: " + parsed.error().message(), 64);
      t.emplace(std::move(parsed).value());
    }
    client::Client& c = *TRY(cli.client());
    client::EventsOptions eo;
    eo.since = o->since;
    eo.until = o->until;
    eo.filters = o->filters;
    auto stream = TRY(client::system_events(c, eo));
    while (true) {
      auto line = TRY(stream->read_line());
      if (!line) break;
      if (trim(*line).empty()) continue;
      Json event = TRY(parse_json(*line, "event"));
      if (raw_json) {
        cli.out(event_json(event) + "\n");
      } else if (t) {
        std::string out = TRY(t->execute(event));
        cli.out(out + "\n");
      } else {
        cli.out(pretty_event(event));
      }
    }
    return 0;
  });
  return cmd;
}

}  // namespace berth::cli
