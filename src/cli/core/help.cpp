// docker's usage template (cli/cobra.go), rendered directly.
#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "cli/core/command.h"

namespace berth::cli {
namespace {

constexpr size_t kMinNamePadding = 11;

bool available(const Command& c) {
  return !c.hidden && (c.runnable() || c.has_subcommands());
}

std::vector<const Command*> sorted_children(const Command& cmd) {
  std::vector<const Command*> out;
  for (const auto& c : cmd.children()) {
    if (available(*c)) out.push_back(c.get());
  }
  std::sort(out.begin(), out.end(),
            [](const Command* a, const Command* b) { return a->name() < b->name(); });
  return out;
}

size_t name_padding(const Command& cmd) {
  size_t longest = 0;
  for (const auto& c : cmd.children()) {
    if (available(*c)) longest = std::max(longest, c->name().size());
  }
  return std::max(kMinNamePadding, longest);
}

std::string rpad(const std::string& s, size_t n) {
  return s.size() >= n ? s : s + std::string(n - s.size(), ' ');
}

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.pop_back();
  return s;
}

std::string aliases_of(const Command& cmd) {
  if (!cmd.aliases_line.empty()) return cmd.aliases_line;
  std::string parent_path = cmd.parent() ? cmd.parent()->command_path() + " " : "";
  std::string out = cmd.command_path();
  for (const auto& a : cmd.aliases) out += ", " + parent_path + a;
  return out;
}

}  // namespace

std::string render_help(const Command& cmd, int width) {
  const bool is_root = cmd.parent() == nullptr;
  const bool has_flags = cmd.flags().has_visible_flags();
  std::string out = "Usage:";
  if (!cmd.has_subcommands()) {
    out += "  " + cmd.use_line();
  } else {
    out += "  " + cmd.command_path() + (has_flags ? " [OPTIONS]" : "") + " COMMAND";
  }
  out += "\n\n";
  out += std::string(trim(cmd.long_help.empty() ? cmd.short_help() : cmd.long_help));
  if (!cmd.aliases.empty() || !cmd.aliases_line.empty()) {
    out += "\n\nAliases:\n  " + aliases_of(cmd);
  }
  if (!cmd.example.empty()) out += "\n\nExamples:\n" + cmd.example;
  if (!is_root && has_flags) {
    out += "\n\nOptions:\n" + trim_right(cmd.flags().usages(width - 1));
  }
  std::vector<const Command*> children = sorted_children(cmd);
  const size_t pad = name_padding(cmd);
  if (is_root) {
    std::vector<const Command*> top;
    for (const Command* c : children) {
      if (c->top_order > 0) top.push_back(c);
    }
    std::stable_sort(top.begin(), top.end(),
                     [](const Command* a, const Command* b) { return a->top_order < b->top_order; });
    if (!top.empty()) {
      out += "\n\nCommon Commands:";
      for (const Command* c : top) out += "\n  " + rpad(c->name() + " ", pad + 1) + c->short_help();
    }
  }
  std::vector<const Command*> management;
  std::vector<const Command*> operations;
  for (const Command* c : children) {
    if (c->has_subcommands()) {
      management.push_back(c);
    } else if (!(is_root && c->top_order > 0)) {
      operations.push_back(c);
    }
  }
  if (!management.empty()) {
    out += "\n\nManagement Commands:";
    for (const Command* c : management) {
      out += "\n  " + rpad(c->name() + " ", pad + 1) + c->short_help();
    }
  }
  if (!operations.empty()) {
    out += "\n\nCommands:";
    for (const Command* c : operations) out += "\n  " + rpad(c->name(), pad) + " " + c->short_help();
  }
  if (is_root && has_flags) {
    out += "\n\nGlobal Options:\n" + trim_right(cmd.flags().usages(width - 1));
  }
  if (cmd.has_subcommands()) {
    out += "\n\nRun '" + cmd.command_path() + " COMMAND --help' for more information on a command.";
  }
  return out + "\n";
}

}  // namespace berth::cli
