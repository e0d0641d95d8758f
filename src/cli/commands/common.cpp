#include "cli/commands/common.h"

#include <unistd.h>

#include <fmt/format.h>

#include "template/json_encode.h"
#include "template/template.h"

namespace berth::cli {

std::unique_ptr<Command> new_command(std::string use, std::string short_help,
                                     std::string aliases_line) {
  auto cmd = std::make_unique<Command>(std::move(use), std::move(short_help));
  cmd->aliases_line = std::move(aliases_line);
  return cmd;
}

std::unique_ptr<Command> new_group(std::string name, std::string short_help) {
  auto cmd = std::make_unique<Command>(std::move(name), std::move(short_help));
  cmd->set_args(ArgRule::kNone);
  return cmd;
}

Result<int> run_each(Cli& cli, const std::vector<std::string>& targets,
                     const std::function<Status(const std::string&)>& fn, bool echo) {
  std::vector<std::string> errors;
  for (const auto& t : targets) {
    Status st = fn(t);
    if (!st.ok()) {
      errors.push_back(st.error().message());
      continue;
    }
    if (echo) cli.out(t + "\n");
  }
  if (errors.empty()) return 0;
  std::string joined;
  for (size_t i = 0; i < errors.size(); ++i) joined += (i ? "\n" : "") + errors[i];
  return cli.fail(joined, 1);
}

std::string go_json_indent(std::string_view src, std::string_view indent) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool need_indent = false;  // an opening bracket waits to see if its value is empty
  auto newline = [&](int d) {
    out += '\n';
    for (int i = 0; i < d; ++i) out += indent;
  };
  size_t i = 0;
  while (i < src.size() && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r')) {
    ++i;
  }
  for (; i < src.size(); ++i) {
    char c = src[i];
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (need_indent && c != ']' && c != '}') {
      need_indent = false;
      newline(depth);
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        ++depth;
        need_indent = true;
        break;
      case ',':
        out += c;
        newline(depth);
        break;
      case ':':
        out += ": ";
        break;
      case '}':
      case ']':
        --depth;
        if (need_indent) {
          need_indent = false;  // empty: "{}" / "[]"
        } else {
          newline(depth);
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string go_json_compact(std::string_view src) {
  std::string out;
  bool in_string = false;
  bool escaped = false;
  for (char c : src) {
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '"') in_string = true;
    out += c;
  }
  return out;
}

Result<int> inspect_each(Cli& cli, const std::vector<std::string>& refs, const std::string& format,
                         const std::function<Result<std::string>(const std::string&)>& get_raw) {
  std::optional<tmpl::Template> tmpl;
  if (!format.empty() && format != "json") {
    auto parsed = tmpl::Template::parse(format);
    if (!parsed.ok()) return cli.fail("template parsing error: " + parsed.error().message(), 64);
    tmpl.emplace(std::move(parsed).value());
  }
  std::vector<std::string> errors;
  std::vector<std::string> raws;
  std::string buffer;
  for (const auto& ref : refs) {
    auto raw = get_raw(ref);
    if (!raw.ok()) {
      errors.push_back(raw.error().message());
      continue;
    }
    if (!tmpl) {
      raws.push_back(std::string(*raw));
      continue;
    }
    auto data = parse_json(*raw, "inspect data");
    if (!data.ok()) {
      errors.push_back("unable to read inspect data: " + data.error().message());
      continue;
    }
    auto text = tmpl->execute(*data);
    if (!text.ok()) {
      errors.push_back("template parsing error: " + text.error().message());
      continue;
    }
    buffer += *text + "\n";
  }
  if (tmpl) {
    cli.out(buffer.empty() ? "\n" : buffer);
  } else if (raws.empty()) {
    cli.out("[]\n");
  } else {
    std::string array = "[";
    for (size_t i = 0; i < raws.size(); ++i) array += (i ? "," : "") + raws[i];
    array += "]";
    cli.out((format == "json" ? go_json_compact(array) : go_json_indent(array)) + "\n");
  }
  if (errors.empty()) return 0;
  std::string joined;
  for (size_t i = 0; i < errors.size(); ++i) joined += (i ? "\n" : "") + errors[i];
  return cli.fail(joined, 1);
}

Result<int> print_list(Cli& cli, const std::string& format, const Json& header,
                       const std::vector<ListRow>& rows) {
  std::string text = TRY(render_list(format, header, rows));
  cli.out(text);
  return 0;
}

bool confirm(Cli& cli, const std::string& message) {
  cli.out(message + " [y/N] ");
  std::string line;
  char c;
  while (cli.in_fd() >= 0 && ::read(cli.in_fd(), &c, 1) == 1 && c != '\n') line += c;
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  size_t start = line.find_first_not_of(' ');
  line = start == std::string::npos ? "" : line.substr(start);
  return line == "y" || line == "Y";
}

std::string json_line(const Json& value) {
  return tmpl::go_json_marshal(tmpl::Value::ref(value), false);
}

}  // namespace berth::cli
