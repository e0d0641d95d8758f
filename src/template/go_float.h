// strconv.FormatFloat for float64: the shortest digits that read back as the same value, laid
// out as Go lays them out (%v prints 1e+06 where C's %g would print 1e+06 too, but 1.5e+20 where
// C prints 1.5e+20 only with the right precision, and so on).
#pragma once

#include <string>

namespace berth::tmpl {

// `format` is 'e', 'E', 'f', 'g', 'G', or 'b' (binary exponent: 5629499534213120p-51), 'x' or
// 'X' (hexadecimal: 0x1.4p+01); `precision` -1 asks for the shortest exact digits.
// Infinities and NaN print as +Inf, -Inf and NaN.
std::string go_format_float(double value, char format, int precision);

// encoding/json's float layout: like 'f', but 'e' for magnitudes under 1e-6 or from 1e21,
// with a one-digit negative exponent ("1e-7", "1e+21").
std::string go_json_float(double value);

}  // namespace berth::tmpl
