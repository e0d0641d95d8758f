// One record of Go's encoding/csv (what docker's --mount, --network and --gpus values are):
// comma-separated fields, double quotes around a field with "" for a literal quote.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::cli {

// Errors read as Go's: `parse error on line 1, column 5: bare " in non-quoted-field`.
Result<std::vector<std::string>> parse_csv_record(std::string_view text);

}  // namespace berth::cli
