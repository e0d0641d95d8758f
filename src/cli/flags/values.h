// Flag values for the types the docker CLI's commands use. Each binds to a variable the command
// owns (pflag's XxxVar style), so parsing fills the command's options struct directly.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/flags/flag.h"

namespace berth::cli {

class BoolValue final : public FlagValue {
 public:
  explicit BoolValue(bool* target) : target_(target) {}
  Status set(std::string_view text) override;
  std::string type() const override { return "bool"; }
  std::string str() const override { return *target_ ? "true" : "false"; }

 private:
  bool* target_;
};

class StringValue final : public FlagValue {
 public:
  explicit StringValue(std::string* target) : target_(target) {}
  Status set(std::string_view text) override;
  std::string type() const override { return "string"; }
  std::string str() const override { return *target_; }

 private:
  std::string* target_;
};

// int, int64, uint16, uint64 ("int" and "int64" parse alike; the type name is what usage shows).
class IntValue final : public FlagValue {
 public:
  IntValue(int64_t* target, std::string type_name, int bits = 64, bool is_unsigned = false)
      : target_(target), type_(std::move(type_name)), bits_(bits), unsigned_(is_unsigned) {}
  Status set(std::string_view text) override;
  std::string type() const override { return type_; }
  std::string str() const override { return std::to_string(*target_); }

 private:
  int64_t* target_;
  std::string type_;
  int bits_;
  bool unsigned_;
};

// time.Duration, stored as nanoseconds; parsed with Go's time.ParseDuration.
class DurationValue final : public FlagValue {
 public:
  explicit DurationValue(int64_t* target) : target_(target) {}
  Status set(std::string_view text) override;
  std::string type() const override { return "duration"; }
  std::string str() const override;

 private:
  int64_t* target_;
};

// docker's opts.ListOpts: every occurrence appended, optionally validated/normalised first.
// Type "list" unless told otherwise ("filter", "ulimit", "mount", ...).
class ListValue final : public FlagValue {
 public:
  using Validator = std::function<Result<std::string>(std::string_view)>;
  ListValue(std::vector<std::string>* target, Validator validator = nullptr,
            std::string type_name = "list")
      : target_(target), validator_(std::move(validator)), type_(std::move(type_name)) {}
  Status set(std::string_view text) override;
  std::string type() const override { return type_; }
  std::string str() const override;

 private:
  std::vector<std::string>* target_;
  Validator validator_;
  std::string type_;
};

// pflag's stringSlice: comma-separated values (CSV), accumulated over occurrences.
class StringSliceValue final : public FlagValue {
 public:
  explicit StringSliceValue(std::vector<std::string>* target) : target_(target) {}
  Status set(std::string_view text) override;
  std::string type() const override { return "strings"; }
  std::string str() const override;

 private:
  std::vector<std::string>* target_;
  bool changed_ = false;
};

// docker's opts.MapOpts: "k=v" pairs into a map (--sysctl, --annotation, -o, ...).
class MapValue final : public FlagValue {
 public:
  using Validator = std::function<Result<std::string>(std::string_view)>;
  MapValue(std::map<std::string, std::string>* target, Validator validator = nullptr,
           std::string type_name = "map")
      : target_(target), validator_(std::move(validator)), type_(std::move(type_name)) {}
  Status set(std::string_view text) override;
  std::string type() const override { return type_; }
  std::string str() const override;

 private:
  std::map<std::string, std::string>* target_;
  Validator validator_;
  std::string type_;
};

// A value parsed by a function into an int64 (opts.MemBytes "bytes", opts.NanoCPUs "decimal",
// opts.MemSwapBytes). `printer` renders the current value for usage defaults.
class ParsedIntValue final : public FlagValue {
 public:
  using Parser = std::function<Result<int64_t>(std::string_view)>;
  using Printer = std::function<std::string(int64_t)>;
  ParsedIntValue(int64_t* target, std::string type_name, Parser parser, Printer printer)
      : target_(target), type_(std::move(type_name)), parser_(std::move(parser)),
        printer_(std::move(printer)) {}
  Status set(std::string_view text) override;
  std::string type() const override { return type_; }
  std::string str() const override { return printer_(*target_); }

 private:
  int64_t* target_;
  std::string type_;
  Parser parser_;
  Printer printer_;
};

// A string whose set() runs a check (opts.NetworkOpt, PortOpt ...) and appends.
class CustomValue final : public FlagValue {
 public:
  using Setter = std::function<Status(std::string_view)>;
  using Printer = std::function<std::string()>;
  CustomValue(std::string type_name, Setter setter, Printer printer)
      : type_(std::move(type_name)), setter_(std::move(setter)), printer_(std::move(printer)) {}
  Status set(std::string_view text) override { return setter_(text); }
  std::string type() const override { return type_; }
  std::string str() const override { return printer_ ? printer_() : std::string(); }

 private:
  std::string type_;
  Setter setter_;
  Printer printer_;
};

// Go's strconv.ParseBool.
Result<bool> parse_go_bool(std::string_view text);
// Go's time.ParseDuration, in nanoseconds, with Go's error texts.
Result<int64_t> parse_go_duration(std::string_view text);
// Go's Duration.String(): "1h2m3.5s", "150ms", "0s".
std::string format_go_duration(int64_t nanos);

}  // namespace berth::cli
