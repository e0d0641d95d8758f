// Renders a list of objects the way docker's formatter.Context does: "table" formats through
// the tabwriter with a header row, "json" as one {{json .}} line per object, any other text as a
// Go template per object. Rows are JSON objects whose keys are docker's formatter field names
// (ID, Image, Names...), so `{{json .}}` prints what docker's MarshalJSON prints.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::cli {

struct ListRow {
  Json fields;                                // what the template sees
  std::map<std::string, std::string> labels;  // for docker's `.Label "key"` method
};

// `format` is the final format (after choosing defaults); `header` maps field names to titles.
// Errors read as docker's: "template parsing error: template: :1: ...".
Result<std::string> render_list(const std::string& format, const Json& header,
                                const std::vector<ListRow>& rows);

// docker's SubHeaderContext.Label: the last dot-separated part, '-' and '_' as spaces.
std::string label_header(const std::string& key);

// The standard --format usage text docker's list commands share.
extern const char* const kFormatHelp;
// The usage text docker's inspect commands share.
extern const char* const kInspectFormatHelp;

}  // namespace berth::cli
