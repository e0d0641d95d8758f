// FlagSet: pflag's parser and usage printer, which is what gives docker's command line its feel:
// `-it`, `-p80:80`, `-e=A`, `--name=x`, `--name x`, `--rm`, `--detach=false`, `--` ends flags,
// flags interspersed with arguments (or not: `run IMAGE ls -la` leaves `-la` to the command).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags/flag.h"
#include "cli/flags/values.h"

namespace berth::cli {

class FlagSet {
 public:
  FlagSet() = default;
  FlagSet(const FlagSet&) = delete;
  FlagSet& operator=(const FlagSet&) = delete;

  // Defines a flag over `value`. `show_default` decides "(default ...)" in usage, as pflag's
  // defaultIsZeroValue does for each type; the define_* helpers set it right.
  Flag& add(std::string name, std::string shorthand, std::string usage,
            std::shared_ptr<FlagValue> value);

  Flag& add_bool(std::string name, std::string shorthand, bool* target, bool def,
                 std::string usage);
  Flag& add_string(std::string name, std::string shorthand, std::string* target,
                   std::string def, std::string usage);
  Flag& add_int(std::string name, std::string shorthand, int64_t* target, int64_t def,
                std::string usage, std::string type_name = "int");
  Flag& add_uint(std::string name, std::string shorthand, int64_t* target, int64_t def,
                 std::string usage, std::string type_name, int bits);
  Flag& add_duration(std::string name, std::string shorthand, int64_t* target, int64_t def,
                     std::string usage);
  Flag& add_list(std::string name, std::string shorthand, std::vector<std::string>* target,
                 std::string usage, ListValue::Validator validator = nullptr,
                 std::string type_name = "list");
  Flag& add_strings(std::string name, std::string shorthand, std::vector<std::string>* target,
                    std::string usage);
  Flag& add_map(std::string name, std::string shorthand, std::map<std::string, std::string>* target,
                std::string usage, MapValue::Validator validator = nullptr,
                std::string type_name = "map");

  // A second name for an existing flag's value (docker's hidden --net for --network).
  Flag& alias(std::string name, const std::string& existing, bool hidden = true);

  Flag* lookup(std::string_view name);
  const Flag* lookup(std::string_view name) const;
  Flag* lookup_shorthand(char c);
  bool changed(std::string_view name) const;
  // Sets a flag as if given on the command line.
  Status set(std::string_view name, std::string_view value);

  // Stop at the first argument that is not a flag (`run IMAGE CMD ARGS...`).
  void set_interspersed(bool on) { interspersed_ = on; }

  // Parses `args`, returning the positional arguments. Errors carry pflag's texts
  // ("unknown flag: --x", "flag needs an argument: 'p' in -p", "invalid argument ..."). A help
  // flag that is not defined ("--help", or "-h" when no flag claims it) sets help_requested().
  Result<std::vector<std::string>> parse(const std::vector<std::string>& args);
  bool help_requested() const { return help_requested_; }
  // Deprecation notices printed while parsing ("Flag --x has been deprecated, ...").
  const std::vector<std::string>& notices() const { return notices_; }

  // pflag's FlagUsagesWrapped(cols): the "Options:" block, sorted by name, hidden flags left out.
  std::string usages(int cols) const;
  bool has_visible_flags() const;
  // Every flag, sorted by name.
  std::vector<const Flag*> sorted() const;

 private:
  Status parse_long(std::string_view arg, const std::vector<std::string>& args, size_t& i);
  Status parse_shorts(std::string_view arg, const std::vector<std::string>& args, size_t& i);
  Status set_flag(Flag& flag, std::string_view value);

  std::vector<std::unique_ptr<Flag>> flags_;
  std::map<std::string, Flag*, std::less<>> by_name_;
  std::map<char, Flag*> by_short_;
  bool interspersed_ = true;
  bool help_requested_ = false;
  std::vector<std::string> notices_;
};

// pflag's wrap(i, w, s): `s` wrapped to `w` columns, continuation lines indented by `i`.
std::string wrap_usage(int indent, int width, std::string_view text);

}  // namespace berth::cli
