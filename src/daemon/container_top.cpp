#include "daemon/container_top.h"

#include <algorithm>
#include <regex>

#include "base/strings.h"
#include "daemon/run_command.h"

namespace berth::daemon {
namespace {

// Splits on ASCII whitespace only, as dockerd's fieldsASCII.
std::vector<std::string> fields_ascii(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Status validate_ps_args(const std::string& args) {
  static const std::regex kRe(R"(\s+([^\s]*)=\s*(PID[^\s]*))");
  for (auto it = std::sregex_iterator(args.begin(), args.end(), kRe); it != std::sregex_iterator(); ++it) {
    if ((*it)[1] != "pid") {
      return make_error(ErrorCode::kInvalidArgument, "specifying \"{}={}\" is not allowed",
                        (*it)[1].str(), (*it)[2].str());
    }
  }
  return {};
}

}  // namespace

Result<Json> parse_ps_output(const std::string& output, const std::vector<pid_t>& pids) {
  auto lines = split(output, '\n');
  if (lines.empty()) return Error(ErrorCode::kInternal, "Couldn't find PID field in ps output");
  std::vector<std::string> titles = fields_ascii(lines[0]);
  auto pid_column = std::find(titles.begin(), titles.end(), "PID");
  if (pid_column == titles.end()) return Error(ErrorCode::kInternal, "Couldn't find PID field in ps output");
  size_t pid_index = static_cast<size_t>(pid_column - titles.begin());
  Json processes = Json::array();
  auto append = [&](const std::vector<std::string>& fields) {
    // Overhanging fields (a command with spaces) join the last column.
    Json row = Json::array();
    for (size_t i = 0; i + 1 < titles.size() && i < fields.size(); ++i) row.push_back(fields[i]);
    std::vector<std::string> rest;
    for (size_t i = titles.size() - 1; i < fields.size(); ++i) rest.push_back(fields[i]);
    row.push_back(join(rest, " "));
    processes.push_back(row);
  };
  bool previous_matched = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto fields = fields_ascii(lines[i]);
    if (fields.empty() || fields.size() <= pid_index) continue;
    if (fields[pid_index] == "-") {
      if (previous_matched) append(fields);
      continue;
    }
    auto pid = parse_int(fields[pid_index]);
    if (!pid.ok()) {
      return make_error(ErrorCode::kInternal, "Unexpected pid '{}': {}", fields[pid_index],
                        pid.error().to_string());
    }
    previous_matched = std::find(pids.begin(), pids.end(), *pid) != pids.end();
    if (previous_matched) append(fields);
  }
  return Json{{"Titles", titles}, {"Processes", processes}};
}

Result<Json> container_top(const std::vector<pid_t>& pids, const std::string& ps_args) {
  std::string args_text = ps_args.empty() ? "-ef" : ps_args;
  TRY(validate_ps_args(args_text));
  std::vector<std::string> argv = {"ps"};
  for (auto& a : split(args_text, ' ')) {
    if (!a.empty()) argv.push_back(a);
  }
  std::vector<std::string> with_pids = argv;
  std::string q = "-q";
  for (size_t i = 0; i < pids.size(); ++i) q += (i ? "," : "") + std::to_string(pids[i]);
  with_pids.push_back(q);
  CommandOutput out = TRY(run_command(with_pids));
  if (out.exit_code != 0) {
    // Some options (such as f) cannot go with -q.
    out = TRY(run_command(argv));
    if (out.exit_code != 0) {
      std::string first = std::string(trim(split_once(out.err, '\n').first));
      if (!first.empty()) return Error(ErrorCode::kInternal, first);
      return make_error(ErrorCode::kInternal, "ps: exit status {}", out.exit_code);
    }
  }
  return parse_ps_output(out.out, pids);
}

}  // namespace berth::daemon
