#include "cli/core/command.h"

#include <fmt/format.h>

namespace berth::cli {

Command::Command(std::string use, std::string short_help)
    : use_(std::move(use)), short_(std::move(short_help)) {
  name_ = use_.substr(0, use_.find(' '));
}

Command& Command::add(std::unique_ptr<Command> child) {
  child->parent_ = this;
  children_.push_back(std::move(child));
  return *children_.back();
}

Command* Command::find_child(std::string_view name) const {
  for (const auto& c : children_) {
    if (c->name() == name) return c.get();
    for (const auto& a : c->aliases) {
      if (a == name) return c.get();
    }
  }
  return nullptr;
}

const Command& Command::root() const {
  const Command* c = this;
  while (c->parent_ != nullptr) c = c->parent_;
  return *c;
}

std::string Command::command_path() const {
  if (parent_ == nullptr) return name_;
  return parent_->command_path() + " " + name_;
}

std::string Command::use_line() const {
  std::string rest;
  if (size_t sp = use_.find(' '); sp != std::string::npos) rest = use_.substr(sp);
  if (parent_ == nullptr) return use_;
  return parent_->command_path() + " " + name_ + rest;
}

Status Command::check_args(const std::vector<std::string>& args) const {
  const std::string bin = root().name();
  const std::string path = command_path();
  const int n = static_cast<int>(args.size());
  auto plural = [](int k) { return k == 1 ? std::string("argument") : std::string("arguments"); };
  auto fail = [](std::string text) { return Error(ErrorCode::kInvalidArgument, std::move(text)); };
  switch (rule_) {
    case ArgRule::kAny: return ok_status();
    case ArgRule::kNone:
      if (n == 0) return ok_status();
      if (has_subcommands()) {
        return fail(fmt::format(
            "{}: unknown command: {} {}\n\nUsage:  {}\n\nRun '{} --help' for more information", bin,
            path, args[0], use_line(), path));
      }
      return fail(fmt::format(
          "{}: '{}' accepts no arguments\n\nUsage:  {}\n\nRun '{} --help' for more information", bin,
          path, use_line(), path));
    case ArgRule::kMin:
      if (n >= arg_a_) return ok_status();
      return fail(fmt::format(
          "{}: '{}' requires at least {} {}\n\nUsage:  {}\n\nSee '{} --help' for more information",
          bin, path, arg_a_, plural(arg_a_), use_line(), path));
    case ArgRule::kMax:
      if (n <= arg_a_) return ok_status();
      // "SRun" is docker 28's text, kept so output matches byte for byte.
      return fail(fmt::format(
          "{}: '{}' requires at most {} {}\n\nUsage:  {}\n\nSRun '{} --help' for more information",
          bin, path, arg_a_, plural(arg_a_), use_line(), path));
    case ArgRule::kExact:
      if (n == arg_a_) return ok_status();
      return fail(fmt::format(
          "{}: '{}' requires {} {}\n\nUsage:  {}\n\nRun '{} --help' for more information", bin, path,
          arg_a_, plural(arg_a_), use_line(), path));
    case ArgRule::kRange:
      if (n >= arg_a_ && n <= arg_b_) return ok_status();
      return fail(fmt::format(
          "{}: '{}' requires at least {} and at most {} {}\n\nUsage:  {}\n\nRun '{} --help' for "
          "more information",
          bin, path, arg_a_, arg_b_, plural(arg_b_), use_line(), path));
  }
  return ok_status();
}

}  // namespace berth::cli
