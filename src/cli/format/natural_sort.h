// fvbommel/sortorder.NaturalLess: digit runs compare as numbers ("80/tcp" < "443/tcp" is false,
// "8080" > "443"), which is how `port` orders its lines.
#pragma once

#include <string_view>

namespace berth::cli {

bool natural_less(std::string_view a, std::string_view b);

}  // namespace berth::cli
