#include "cli/flags/flag_set.h"

#include <algorithm>

#include <fmt/format.h>

#include "template/go_quote.h"

namespace berth::cli {
namespace {

Error flag_error(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// pflag's defaultIsZeroValue, by value type.
bool default_is_zero(const FlagValue& value, const std::string& def) {
  std::string type = value.type();
  if (type == "bool") return def == "false";
  if (type == "duration") return def == "0" || def == "0s";
  if (type == "int" || type == "int64" || type == "uint16" || type == "uint64" ||
      type == "uint" || type == "int32" || type == "uint32") {
    return def == "0";
  }
  if (type == "string") return def.empty();
  if (type == "strings") return def == "[]";
  return def == "false" || def == "<nil>" || def.empty() || def == "0";
}

// What the invalid-argument message calls a flag: "-n, --last" or "--name".
std::string display_name(const Flag& flag) {
  if (!flag.shorthand.empty()) return "-" + flag.shorthand + ", --" + flag.name;
  return "--" + flag.name;
}

// pflag's UnquoteUsage: a `name` in backquotes names the argument; otherwise its type does.
std::pair<std::string, std::string> unquote_usage(const Flag& flag) {
  const std::string& usage = flag.usage;
  size_t open = usage.find('`');
  if (open != std::string::npos) {
    size_t close = usage.find('`', open + 1);
    if (close != std::string::npos) {
      std::string name = usage.substr(open + 1, close - open - 1);
      return {name, usage.substr(0, open) + name + usage.substr(close + 1)};
    }
  }
  std::string name = flag.value->type();
  if (name == "bool") name = "";
  else if (name == "float64") name = "float";
  else if (name == "int64") name = "int";
  else if (name == "uint64") name = "uint";
  return {name, usage};
}

// pflag's wrapN: splits `s` at the last blank before column i, allowing `slop` extra columns.
std::pair<std::string, std::string> wrap_n(size_t i, size_t slop, std::string_view s) {
  if (i + slop > s.size()) return {std::string(s), ""};
  std::string_view head = s.substr(0, i);
  size_t w = head.find_last_of(" \t\n");
  if (w == std::string_view::npos || w == 0) return {std::string(s), ""};
  size_t nl = head.rfind('\n');
  if (nl != std::string_view::npos && nl > 0 && nl < w) {
    return {std::string(s.substr(0, nl)), std::string(s.substr(nl + 1))};
  }
  return {std::string(s.substr(0, w)), std::string(s.substr(w + 1))};
}

std::string replace_newlines(std::string_view s, const std::string& with) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += with;
    else out += c;
  }
  return out;
}

}  // namespace

std::string wrap_usage(int indent, int width, std::string_view s) {
  if (width == 0) return replace_newlines(s, "\n" + std::string(indent, ' '));
  int wrap = width - indent;
  std::string r;
  if (wrap < 24) {
    indent = 16;
    wrap = width - indent;
    r += "\n" + std::string(indent, ' ');
  }
  if (wrap < 24) return replace_newlines(s, r);
  const size_t slop = 5;
  wrap -= static_cast<int>(slop);
  std::string pad = "\n" + std::string(indent, ' ');
  auto [line, rest] = wrap_n(wrap, slop, s);
  r += replace_newlines(line, pad);
  while (!rest.empty()) {
    auto [t, more] = wrap_n(wrap, slop, rest);
    r += pad + replace_newlines(t, pad);
    rest = more;
  }
  return r;
}

Flag& FlagSet::add(std::string name, std::string shorthand, std::string usage,
                   std::shared_ptr<FlagValue> value) {
  auto flag = std::make_unique<Flag>();
  flag->name = std::move(name);
  flag->shorthand = std::move(shorthand);
  flag->usage = std::move(usage);
  flag->def_value = value->str();
  flag->show_default = !default_is_zero(*value, flag->def_value);
  flag->value = std::move(value);
  Flag* raw = flag.get();
  by_name_[raw->name] = raw;
  if (!raw->shorthand.empty()) by_short_[raw->shorthand[0]] = raw;
  flags_.push_back(std::move(flag));
  return *raw;
}

Flag& FlagSet::add_bool(std::string name, std::string shorthand, bool* target, bool def,
                        std::string usage) {
  *target = def;
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<BoolValue>(target));
}

Flag& FlagSet::add_string(std::string name, std::string shorthand, std::string* target,
                          std::string def, std::string usage) {
  *target = std::move(def);
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<StringValue>(target));
}

Flag& FlagSet::add_int(std::string name, std::string shorthand, int64_t* target, int64_t def,
                       std::string usage, std::string type_name) {
  *target = def;
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<IntValue>(target, std::move(type_name)));
}

Flag& FlagSet::add_uint(std::string name, std::string shorthand, int64_t* target, int64_t def,
                        std::string usage, std::string type_name, int bits) {
  *target = def;
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<IntValue>(target, std::move(type_name), bits, true));
}

Flag& FlagSet::add_duration(std::string name, std::string shorthand, int64_t* target,
                            int64_t def, std::string usage) {
  *target = def;
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<DurationValue>(target));
}

Flag& FlagSet::add_list(std::string name, std::string shorthand,
                        std::vector<std::string>* target, std::string usage,
                        ListValue::Validator validator, std::string type_name) {
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<ListValue>(target, std::move(validator), std::move(type_name)));
}

Flag& FlagSet::add_strings(std::string name, std::string shorthand,
                           std::vector<std::string>* target, std::string usage) {
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<StringSliceValue>(target));
}

Flag& FlagSet::add_map(std::string name, std::string shorthand,
                       std::map<std::string, std::string>* target, std::string usage,
                       MapValue::Validator validator, std::string type_name) {
  return add(std::move(name), std::move(shorthand), std::move(usage),
             std::make_shared<MapValue>(target, std::move(validator), std::move(type_name)));
}

Flag& FlagSet::alias(std::string name, const std::string& existing, bool hidden) {
  Flag* target = lookup(existing);
  Flag& flag = add(std::move(name), "", target->usage, target->value);
  flag.def_value = target->def_value;
  flag.show_default = target->show_default;
  flag.hidden = hidden;
  return flag;
}

Flag* FlagSet::lookup(std::string_view name) {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const Flag* FlagSet::lookup(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Flag* FlagSet::lookup_shorthand(char c) {
  auto it = by_short_.find(c);
  return it == by_short_.end() ? nullptr : it->second;
}

bool FlagSet::changed(std::string_view name) const {
  const Flag* flag = lookup(name);
  return flag != nullptr && flag->changed;
}

Status FlagSet::set(std::string_view name, std::string_view value) {
  Flag* flag = lookup(name);
  if (flag == nullptr) return flag_error(fmt::format("no such flag -{}", name));
  return set_flag(*flag, value);
}

Status FlagSet::set_flag(Flag& flag, std::string_view value) {
  Status st = flag.value->set(value);
  if (!st.ok()) {
    return flag_error(fmt::format("invalid argument {} for {} flag: {}", tmpl::go_quote(value),
                                  tmpl::go_quote(display_name(flag)), st.error().message()));
  }
  flag.changed = true;
  // Aliases share the value; mark them too so changed() answers for either name.
  for (auto& other : flags_) {
    if (other->value == flag.value) other->changed = true;
  }
  if (!flag.deprecated.empty()) {
    notices_.push_back(fmt::format("Flag --{} has been deprecated, {}", flag.name, flag.deprecated));
  }
  return ok_status();
}

Status FlagSet::parse_long(std::string_view arg, const std::vector<std::string>& args,
                           size_t& i) {
  std::string_view name = arg.substr(2);
  if (name.empty() || name[0] == '-' || name[0] == '=') {
    return flag_error(fmt::format("bad flag syntax: {}", arg));
  }
  size_t eq = name.find('=');
  std::string_view key = name.substr(0, eq);
  Flag* flag = lookup(key);
  if (flag == nullptr) {
    if (key == "help") {
      help_requested_ = true;
      return ok_status();
    }
    return flag_error(fmt::format("unknown flag: --{}", key));
  }
  if (eq != std::string_view::npos) return set_flag(*flag, name.substr(eq + 1));
  if (flag->is_bool()) return set_flag(*flag, "true");
  if (i < args.size()) return set_flag(*flag, args[i++]);
  return flag_error(fmt::format("flag needs an argument: {}", arg));
}

Status FlagSet::parse_shorts(std::string_view arg, const std::vector<std::string>& args,
                             size_t& i) {
  std::string_view shorts = arg.substr(1);
  while (!shorts.empty()) {
    char c = shorts[0];
    Flag* flag = lookup_shorthand(c);
    if (flag == nullptr) {
      if (c == 'h') {
        help_requested_ = true;
        shorts.remove_prefix(1);
        continue;
      }
      return flag_error(fmt::format("unknown shorthand flag: {} in -{}",
                                    tmpl::go_quote_rune(static_cast<unsigned char>(c)), shorts));
    }
    if (!flag->shorthand_deprecated.empty()) {
      notices_.push_back(
          fmt::format("Flag shorthand -{} has been deprecated, {}", c, flag->shorthand_deprecated));
    }
    if (shorts.size() > 2 && shorts[1] == '=') {
      return set_flag(*flag, shorts.substr(2));
    }
    if (flag->is_bool()) {
      TRY(set_flag(*flag, "true"));
      shorts.remove_prefix(1);
      continue;
    }
    if (shorts.size() > 1) return set_flag(*flag, shorts.substr(1));
    if (i < args.size()) return set_flag(*flag, args[i++]);
    return flag_error(fmt::format("flag needs an argument: {} in -{}",
                                  tmpl::go_quote_rune(static_cast<unsigned char>(c)), shorts));
  }
  return ok_status();
}

Result<std::vector<std::string>> FlagSet::parse(const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  size_t i = 0;
  while (i < args.size()) {
    const std::string& s = args[i++];
    if (s.size() < 2 || s[0] != '-') {
      positional.push_back(s);
      if (!interspersed_) {
        positional.insert(positional.end(), args.begin() + static_cast<long>(i), args.end());
        return positional;
      }
      continue;
    }
    if (s[1] == '-') {
      if (s.size() == 2) {  // "--" ends the flags
        positional.insert(positional.end(), args.begin() + static_cast<long>(i), args.end());
        return positional;
      }
      TRY(parse_long(s, args, i));
    } else {
      TRY(parse_shorts(s, args, i));
    }
  }
  return positional;
}

std::vector<const Flag*> FlagSet::sorted() const {
  std::vector<const Flag*> out;
  for (const auto& f : flags_) out.push_back(f.get());
  std::sort(out.begin(), out.end(), [](const Flag* a, const Flag* b) { return a->name < b->name; });
  return out;
}

bool FlagSet::has_visible_flags() const {
  return std::any_of(flags_.begin(), flags_.end(),
                     [](const auto& f) { return !f->hidden && f->deprecated.empty(); });
}

std::string FlagSet::usages(int cols) const {
  std::vector<std::string> lines;
  size_t maxlen = 0;
  for (const Flag* flag : sorted()) {
    if (flag->hidden || !flag->deprecated.empty()) continue;
    std::string line;
    if (!flag->shorthand.empty() && flag->shorthand_deprecated.empty()) {
      line = "  -" + flag->shorthand + ", --" + flag->name;
    } else {
      line = "      --" + flag->name;
    }
    auto [varname, usage] = unquote_usage(*flag);
    if (!varname.empty()) line += " " + varname;
    line += '\0';
    maxlen = std::max(maxlen, line.size());
    line += usage;
    if (flag->show_default) {
      if (flag->value->type() == "string") {
        line += " (default " + tmpl::go_quote(flag->def_value) + ")";
      } else {
        line += " (default " + flag->def_value + ")";
      }
    }
    lines.push_back(std::move(line));
  }
  std::string out;
  for (const auto& line : lines) {
    size_t sidx = line.find('\0');
    out += line.substr(0, sidx) + " " + std::string(maxlen - sidx, ' ') + " " +
           wrap_usage(static_cast<int>(maxlen) + 2, cols, std::string_view(line).substr(sidx + 1)) +
           "\n";
  }
  return out;
}

}  // namespace berth::cli
