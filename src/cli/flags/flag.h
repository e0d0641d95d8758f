// A command-line flag as spf13/pflag (and so the docker CLI) models it: a long name, an optional
// one-letter shorthand, a usage text and a typed value that parses what the user typed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::cli {

// The typed half of a flag. set() is called once per occurrence, so list flags accumulate.
class FlagValue {
 public:
  virtual ~FlagValue() = default;
  // Parses one occurrence. The error's message is pflag's reason, e.g. for an int flag
  // `strconv.ParseInt: parsing "x": invalid syntax`; the flag set adds the invalid-argument frame.
  virtual Status set(std::string_view text) = 0;
  // pflag's Value.Type(): shown in usage ("string", "list", "int", "bytes", ...); "bool" for
  // flags that take no argument.
  virtual std::string type() const = 0;
  // pflag's Value.String() of the current value; read at definition time for the default shown.
  virtual std::string str() const = 0;
};

struct Flag {
  std::string name;
  std::string shorthand;  // "" or one character
  std::string usage;
  std::shared_ptr<FlagValue> value;  // shared: docker gives --net and --network one value
  std::string def_value;             // str() at definition, for "(default ...)"
  bool show_default = false;         // pflag's !defaultIsZeroValue()
  bool hidden = false;
  bool changed = false;
  // Shown as "Flag --x has been deprecated, <text>" on use; the flag is hidden from usage.
  std::string deprecated;
  // Set on a deprecated shorthand: "-h" works but prints this.
  std::string shorthand_deprecated;

  bool is_bool() const { return value->type() == "bool"; }
};

}  // namespace berth::cli
