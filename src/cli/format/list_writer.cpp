#include "cli/format/list_writer.h"

#include <regex>

#include "template/json_encode.h"
#include "template/template.h"

namespace berth::cli {
namespace {

constexpr const char* kLabelMapField = "BerthLabelMap";

// Go templates cannot call methods on JSON data, so `.Label "k"` becomes an index into a map the
// rows carry for that purpose. Returns the rewritten text and the keys it refers to.
std::string rewrite_label_calls(const std::string& text, std::vector<std::string>& keys) {
  static const std::regex kLabelCall(R"re(\.Label\s+"((?:[^"\\]|\\.)*)")re");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), kLabelCall);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += text.substr(last, static_cast<size_t>(it->position()) - last);
    keys.push_back((*it)[1].str());
    out += "(index ." + std::string(kLabelMapField) + " \"" + (*it)[1].str() + "\")";
    last = static_cast<size_t>(it->position() + it->length());
  }
  out += text.substr(last);
  return out;
}

}  // namespace

std::string label_header(const std::string& key) {
  std::string last = key.substr(key.rfind('.') == std::string::npos ? 0 : key.rfind('.') + 1);
  for (char& c : last) {
    if (c == '-' || c == '_') c = ' ';
  }
  return last;
}

Result<std::string> render_list(const std::string& format, const Json& header,
                                const std::vector<ListRow>& rows) {
  std::string body = tmpl::prepare_format(format);
  if (body == "{{json .}}") {
    // docker marshals its formatter contexts with json.Marshal, which escapes <, > and & —
    // unlike the template's json function on plain values.
    std::string out;
    for (const ListRow& row : rows) {
      out += tmpl::go_json_marshal(tmpl::Value::ref(row.fields), true) + "\n";
    }
    return out;
  }
  std::vector<std::string> label_keys;
  if (body.find(".Label") != std::string::npos) body = rewrite_label_calls(body, label_keys);
  auto parsed = tmpl::Template::parse(body);
  if (!parsed.ok()) {
    return Error(ErrorCode::kInvalidArgument, "template parsing error: " + parsed.error().message());
  }
  std::vector<std::string> lines;
  for (const ListRow& row : rows) {
    Result<std::string> line = label_keys.empty() ? parsed->execute(row.fields) : [&] {
      Json data = row.fields;
      Json map = Json::object();
      for (const auto& [k, v] : row.labels) map[k] = v;
      data[kLabelMapField] = std::move(map);
      return parsed->execute(data);
    }();
    if (!line.ok()) {
      return Error(ErrorCode::kInvalidArgument, "template parsing error: " + line.error().message());
    }
    lines.push_back(std::move(line).value());
  }
  if (!tmpl::is_table_format(format)) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  Json header_data = header;
  if (!label_keys.empty()) {
    Json map = Json::object();
    for (const auto& k : label_keys) map[k] = label_header(k);
    header_data[kLabelMapField] = std::move(map);
  }
  std::string head = parsed->execute_header(header_data).value_or("");
  return tmpl::format_table(head, lines);
}

const char* const kFormatHelp =
    "Format output using a custom template:\n"
    "'table':            Print output in table format with column headers (default)\n"
    "'table TEMPLATE':   Print output in table format using the given Go template\n"
    "'json':             Print in JSON format\n"
    "'TEMPLATE':         Print output using the given Go template.\n"
    "Refer to https://docs.docker.com/go/formatting/ for more information about formatting "
    "output with templates";

const char* const kInspectFormatHelp =
    "Format output using a custom template:\n"
    "'json':             Print in JSON format\n"
    "'TEMPLATE':         Print output using the given Go template.\n"
    "Refer to https://docs.docker.com/go/formatting/ for more information about formatting "
    "output with templates";

}  // namespace berth::cli
