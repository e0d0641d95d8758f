#include "cli/opts/csv.h"

#include <fmt/format.h>

namespace berth::cli {

Result<std::vector<std::string>> parse_csv_record(std::string_view text) {
  std::vector<std::string> fields;
  size_t i = 0;
  // Go's reader ends a record at a newline; the CLI values are one line.
  if (size_t nl = text.find('\n'); nl != std::string_view::npos) text = text.substr(0, nl);
  while (true) {
    std::string field;
    if (i < text.size() && text[i] == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) {
          return make_error(ErrorCode::kInvalidArgument,
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            text.size() + 1);
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < text.size() && text[i] != ',') {
        return make_error(ErrorCode::kInvalidArgument,
                          "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                          i + 1);
      }
    } else {
      while (i < text.size() && text[i] != ',') {
        if (text[i] == '"') {
          return make_error(ErrorCode::kInvalidArgument,
                            "parse error on line 1, column {}: bare \" in non-quoted-field", i + 1);
        }
        field += text[i++];
      }
    }
    fields.push_back(std::move(field));
    if (i >= text.size()) break;
    ++i;  // the comma
  }
  return fields;
}

}  // namespace berth::cli
