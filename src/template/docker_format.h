// The docker CLI's handling of a `--format` value around the template itself (its formatter
// package): the "table" and "json" keywords, the \t and \n escapes, and the aligned table output.
//
// A CLI command renders a format like this:
//
//   std::string body = tmpl::prepare_format(format);          // "table {{.ID}}\t{{.Image}}"
//   auto t = TRY(tmpl::Template::parse(body));                 //   -> "{{.ID}}<TAB>{{.Image}}"
//   std::vector<std::string> rows;
//   for (const Json& c : containers) rows.push_back(TRY(t.execute(c)));
//   if (tmpl::is_table_format(format)) {
//     // docker ignores a header that fails to render and prints what it produced
//     std::string header = t.execute_header(column_names).value_or("");
//     out << tmpl::format_table(header, rows);
//   } else {
//     for (const auto& row : rows) out << row << '\n';
//   }
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth::tmpl {

// docker's Format.IsTable: the format starts with "table" (even "tablefoo", as in docker).
bool is_table_format(std::string_view format);
// docker's Format.IsJSON: the format is exactly "json".
bool is_json_format(std::string_view format);

// Removes a leading "table" keyword and the spaces around what remains.
std::string strip_table_prefix(std::string_view format);
// Replaces the two-character escapes \t and \n with a tab and a newline, as docker does before
// parsing (shells pass them through single quotes literally).
std::string expand_format_escapes(std::string_view format);

// docker's preFormat: the template text for a --format value. Strips "table", turns "json" into
// "{{json .}}", trims spaces, expands \t and \n.
std::string prepare_format(std::string_view format);

// A table as docker prints it: the header line, then each row, each followed by a newline, run
// through docker's tabwriter (min width 10, padding 3, spaces). Rows are template outputs whose
// columns are separated by tabs.
std::string format_table(std::string_view header, const std::vector<std::string>& rows);

}  // namespace berth::tmpl
