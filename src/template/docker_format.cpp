#include "template/docker_format.h"

#include "template/tabwriter.h"

namespace berth::tmpl {
namespace {

constexpr std::string_view kTableKey = "table";

std::string_view trim_spaces(std::string_view s) {
  size_t start = s.find_first_not_of(' ');
  if (start == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(' ');
  return s.substr(start, end - start + 1);
}

}  // namespace

bool is_table_format(std::string_view format) {
  return format.starts_with(kTableKey);
}

bool is_json_format(std::string_view format) {
  return format == "json";
}

std::string strip_table_prefix(std::string_view format) {
  if (is_table_format(format)) format.remove_prefix(kTableKey.size());
  return std::string(trim_spaces(format));
}

std::string expand_format_escapes(std::string_view format) {
  std::string out;
  out.reserve(format.size());
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '\\' && i + 1 < format.size() &&
        (format[i + 1] == 't' || format[i + 1] == 'n')) {
      out.push_back(format[i + 1] == 't' ? '\t' : '\n');
      ++i;
    } else {
      out.push_back(format[i]);
    }
  }
  return out;
}

std::string prepare_format(std::string_view format) {
  std::string body;
  if (is_table_format(format)) {
    body = format.substr(kTableKey.size());
  } else if (is_json_format(format)) {
    body = "{{json .}}";
  } else {
    body = format;
  }
  return expand_format_escapes(trim_spaces(body));
}

std::string format_table(std::string_view header, const std::vector<std::string>& rows) {
  TabWriter writer(kDockerTableOptions);
  writer.write(header);
  writer.write("\n");
  for (const std::string& row : rows) {
    writer.write(row);
    writer.write("\n");
  }
  writer.flush();
  return writer.take();
}

}  // namespace berth::tmpl
