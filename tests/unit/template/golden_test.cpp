// Data-driven tests over tests/unit/template/data/*.txt (format described in data/README.md):
// each case runs a template or a docker --format over JSON and compares the output, or the
// error message, with Go's.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/json.h"
#include "template/docker_format.h"
#include "template/template.h"

namespace berth::tmpl {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string file;
  std::string name;
  int line = 0;
  std::map<std::string, std::string> sections;
};

// \t \n \r \\ and \xNN, for sections whose whitespace must be visible.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    char c = s[++i];
    if (c == 't') {
      out.push_back('\t');
    } else if (c == 'n') {
      out.push_back('\n');
    } else if (c == 'r') {
      out.push_back('\r');
    } else if (c == 'x' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<Case> parse_cases(const std::string& file, const std::string& text) {
  std::vector<Case> cases;
  std::string section;
  std::vector<std::string> lines;
  auto close_section = [&] {
    if (cases.empty() || section.empty()) return;
    std::string content;
    for (size_t i = 0; i < lines.size(); ++i) content += (i > 0 ? "\n" : "") + lines[i];
    if (section.ends_with("-escaped")) {
      section.resize(section.size() - std::string("-escaped").size());
      content = unescape(content);
    }
    cases.back().sections[section] = content;
  };
  size_t start = 0;
  int line_no = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.starts_with("=== ")) {
      close_section();
      section.clear();
      cases.push_back(Case{file, line.substr(4), line_no, {}});
    } else if (line.starts_with("--- ")) {
      close_section();
      section = line.substr(4);
      lines.clear();
    } else if (!section.empty()) {
      lines.push_back(line);
    }
  }
  close_section();
  return cases;
}

std::vector<Case> load_cases() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(BERTH_TEST_DATA_DIR)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const std::string& path : files) {
    Result<std::string> text = read_file(path);
    if (!text.ok()) continue;  // reported by the FilesLoad test
    // A file's last line ends with a newline that belongs to no section.
    std::string body = *text;
    if (body.ends_with('\n')) body.pop_back();
    // A case named "@defaults" gives its sections to the file's later cases that lack them.
    std::map<std::string, std::string> defaults;
    for (Case& c : parse_cases(fs::path(path).stem().string(), body)) {
      if (c.name == "@defaults") {
        defaults = c.sections;
        continue;
      }
      for (const auto& [key, value] : defaults) c.sections.try_emplace(key, value);
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

// The case's result: output, or "error: " + message.
std::string run(const Case& c) {
  auto get = [&](const std::string& key, const std::string& fallback) {
    auto it = c.sections.find(key);
    return it == c.sections.end() ? fallback : it->second;
  };
  bool is_format = c.sections.contains("format");
  std::string text = is_format ? prepare_format(c.sections.at("format")) : get("template", "");
  Result<Template> tmpl = Template::parse(text);
  if (!tmpl.ok()) return "error: " + tmpl.error().message();

  Result<Json> data = parse_json(get("data", is_format ? "[{}]" : "{}"), "data");
  if (!data.ok()) return "bad test data: " + data.error().to_string();

  if (!is_format) {
    if (c.sections.contains("header")) {
      Result<Json> header = parse_json(c.sections.at("header"), "header");
      if (!header.ok()) return "bad test header: " + header.error().to_string();
      Result<std::string> out = tmpl->execute_header(*header);
      return out.ok() ? *out : "error: " + out.error().message();
    }
    Result<std::string> out = tmpl->execute(*data);
    return out.ok() ? *out : "error: " + out.error().message();
  }

  std::vector<std::string> rows;
  for (const Json& row : *data) {
    Result<std::string> out = tmpl->execute(row);
    if (!out.ok()) return "error: " + out.error().message();
    rows.push_back(*out);
  }
  if (!is_table_format(c.sections.at("format"))) {
    std::string out;
    for (const std::string& row : rows) out += row + "\n";
    return out;
  }
  Result<Json> header = parse_json(get("header", "{}"), "header");
  if (!header.ok()) return "bad test header: " + header.error().to_string();
  // docker prints a table even when its header fails to render.
  return format_table(tmpl->execute_header(*header).value_or(""), rows);
}

class GoldenTest : public ::testing::TestWithParam<Case> {};

TEST_P(GoldenTest, MatchesGo) {
  const Case& c = GetParam();
  SCOPED_TRACE(c.file + ".txt:" + std::to_string(c.line) + ": " + c.name);
  ASSERT_TRUE(c.sections.contains("template") || c.sections.contains("format"))
      << "a case needs a template or a format";
  ASSERT_NE(c.sections.contains("output"), c.sections.contains("error"))
      << "a case needs exactly one of output and error";
  std::string expected =
      c.sections.contains("output") ? c.sections.at("output") : "error: " + c.sections.at("error");
  EXPECT_EQ(run(c), expected);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file + "_" + info.param.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Data, GoldenTest, ::testing::ValuesIn(load_cases()), case_name);

TEST(GoldenDataTest, CasesHaveUniqueNames) {
  std::vector<Case> cases = load_cases();
  ASSERT_GT(cases.size(), 100u);
  std::vector<std::string> names;
  for (const Case& c : cases) {
    ::testing::TestParamInfo<Case> info(c, 0);
    names.push_back(case_name(info));
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

}  // namespace
}  // namespace berth::tmpl
