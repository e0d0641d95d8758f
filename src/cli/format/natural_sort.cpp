#include "cli/format/natural_sort.h"

namespace berth::cli {
namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool natural_less(std::string_view s1, std::string_view s2) {
  size_t i1 = 0;
  size_t i2 = 0;
  while (i1 < s1.size() && i2 < s2.size()) {
    char c1 = s1[i1];
    char c2 = s2[i2];
    bool d1 = is_digit(c1);
    bool d2 = is_digit(c2);
    if (d1 != d2) return d1;
    if (!d1) {
      if (c1 != c2) return static_cast<unsigned char>(c1) < static_cast<unsigned char>(c2);
      ++i1;
      ++i2;
      continue;
    }
    while (i1 < s1.size() && s1[i1] == '0') ++i1;
    while (i2 < s2.size() && s2[i2] == '0') ++i2;
    size_t nz1 = i1;
    size_t nz2 = i2;
    while (i1 < s1.size() && is_digit(s1[i1])) ++i1;
    while (i2 < s2.size() && is_digit(s2[i2])) ++i2;
    if (i1 - nz1 != i2 - nz2) return i1 - nz1 < i2 - nz2;
    std::string_view n1 = s1.substr(nz1, i1 - nz1);
    std::string_view n2 = s2.substr(nz2, i2 - nz2);
    if (n1 != n2) return n1 < n2;
    if (nz1 != nz2) return nz1 < nz2;
  }
  return s1.size() < s2.size();
}

}  // namespace berth::cli
