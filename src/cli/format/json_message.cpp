#include "cli/format/json_message.h"

#include <ctime>
#include <map>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/flags/values.h"
#include "cli/format/units.h"

namespace berth::cli {
namespace {

int64_t num(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Go's %8v: right-aligned in 8 columns.
std::string pad8(const std::string& s) {
  return s.size() >= 8 ? s : std::string(8 - s.size(), ' ') + s;
}

}  // namespace

std::string progress_string(const Json& p, int width, int64_t now_unix) {
  int64_t current = num(p, "current");
  int64_t total = num(p, "total");
  std::string units = str(p, "units");
  if (current <= 0 && total <= 0) return "";
  if (total <= 0) {
    if (units.empty()) return pad8(human_size(static_cast<double>(current)));
    return fmt::format("{} {}", current, units);
  }
  int percentage = static_cast<int>(static_cast<double>(current) / static_cast<double>(total) * 100) / 2;
  if (percentage > 50) percentage = 50;
  std::string bar;
  if (width > 110) {
    int spaces = 50 - percentage > 0 ? 50 - percentage : 0;
    bar = "[" + std::string(static_cast<size_t>(percentage), '=') + ">" +
          std::string(static_cast<size_t>(spaces), ' ') + "] ";
  }
  std::string numbers;
  bool hide_counts = p.value("hidecounts", false);
  if (!hide_counts) {
    if (units.empty()) {
      numbers = pad8(human_size(static_cast<double>(current))) + "/" +
                human_size(static_cast<double>(total));
    } else {
      numbers = fmt::format("{}/{} {}", current, total, units);
    }
    if (current > total) numbers.clear();
  }
  std::string left;
  int64_t start = num(p, "start");
  if (current > 0 && start > 0 && percentage < 50) {
    int64_t from_start_ns = (now_unix - start) * 1000000000LL;
    int64_t per_entry = from_start_ns / current;
    int64_t left_ns = (total - current) * per_entry;
    // time.Duration.Round(time.Second).
    int64_t rounded = (left_ns + 500000000LL) / 1000000000LL * 1000000000LL;
    left = " " + format_go_duration(rounded);
  }
  return bar + numbers + left;
}

Status display_json_messages(http::BodyReader& in, const MessageDisplay& d) {
  std::map<std::string, size_t> ids;
  std::string pending;
  char buf[16384];
  auto now = [&] { return d.now_unix ? d.now_unix() : static_cast<int64_t>(std::time(nullptr)); };
  auto handle = [&](std::string_view line) -> Status {
    if (trim(line).empty()) return ok_status();
    Json jm = TRY(parse_json(line, "progress message"));
    if (jm.contains("aux")) {
      if (d.on_aux) d.on_aux(jm["aux"]);
      return ok_status();
    }
    if (auto e = jm.find("errorDetail"); e != jm.end() && e->is_object()) {
      return Error(ErrorCode::kUnknown, e->value("message", str(jm, "error")));
    }
    if (jm.contains("error") && !str(jm, "error").empty()) {
      return Error(ErrorCode::kUnknown, str(jm, "error"));
    }
    std::string id = str(jm, "id");
    // Go decodes "progressDetail":{} into a non-nil pointer: present means progress.
    const Json* progress = jm.contains("progressDetail") && jm["progressDetail"].is_object()
                               ? &jm["progressDetail"]
                               : nullptr;
    std::string progress_message = str(jm, "progress");
    size_t diff = 0;
    std::string out;
    if (!id.empty() && (progress != nullptr || !progress_message.empty())) {
      auto it = ids.find(id);
      size_t line_no;
      if (it == ids.end()) {
        line_no = ids.size();
        ids[id] = line_no;
        if (d.is_terminal) out += "\n";
      } else {
        line_no = it->second;
      }
      diff = ids.size() - line_no;
      if (d.is_terminal && diff > 0) out += fmt::format("\x1b[{}A", diff);
    } else {
      ids.clear();
    }
    // JSONMessage.Display.
    std::string stream = str(jm, "stream");
    std::string progress_text = progress ? progress_string(*progress, d.terminal_width, now()) : "";
    std::string endl;
    bool skip = false;
    if (d.is_terminal && stream.empty() && progress != nullptr) {
      out += "\x1b[2K\r";
      endl = "\r";
    } else if (progress != nullptr && !progress_text.empty()) {
      skip = true;  // no progress bars off a terminal
    }
    if (!skip) {
      if (!id.empty()) out += id + ": ";
      if (std::string from = str(jm, "from"); !from.empty()) out += "(from " + from + ") ";
      std::string status = str(jm, "status");
      if (progress != nullptr && d.is_terminal) {
        out += status + " " + progress_text + endl;
      } else if (!progress_message.empty()) {
        out += status + " " + progress_message + endl;
      } else if (!stream.empty()) {
        out += stream + endl;
      } else {
        out += status + endl + "\n";
      }
    }
    if (!id.empty() && d.is_terminal && diff > 0) out += fmt::format("\x1b[{}B", diff);
    if (!out.empty()) d.out(out);
    return ok_status();
  };
  while (true) {
    size_t n = TRY(in.read(buf, sizeof(buf)));
    if (n == 0) break;
    pending.append(buf, n);
    size_t pos;
    while ((pos = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, pos);
      pending.erase(0, pos + 1);
      TRY(handle(line));
    }
  }
  return handle(pending);
}

}  // namespace berth::cli
