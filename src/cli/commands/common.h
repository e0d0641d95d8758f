// Pieces most commands share: building a command, acting on several objects with docker's
// error aggregation, inspect output, list output, and JSON formatting as Go's encoding/json does.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cli/core/cli.h"
#include "cli/core/command.h"
#include "cli/format/list_writer.h"
#include "http/client.h"

namespace berth::cli {

// A command with docker's "aliases" annotation (written with "berth").
std::unique_ptr<Command> new_command(std::string use, std::string short_help,
                                     std::string aliases_line = {});
// A management command ("container", "image", ...): no run function, help on stderr when
// called bare, docker's unknown-command text otherwise.
std::unique_ptr<Command> new_group(std::string name, std::string short_help);

// Runs `fn` for each target; prints each target that succeeded (when `echo`), then the errors
// (one a line, as errors.Join prints them). Exit 1 when any failed.
Result<int> run_each(Cli& cli, const std::vector<std::string>& targets,
                     const std::function<Status(const std::string&)>& fn, bool echo = true);

// docker's inspect.Inspect: raw JSON of each ref indented as an array, "json" compact, or a
// template per object; errors collected after the output. Exit 1 when any ref failed, 64 for
// a template that does not parse.
Result<int> inspect_each(Cli& cli, const std::vector<std::string>& refs, const std::string& format,
                         const std::function<Result<std::string>(const std::string&)>& get_raw);

// json.Indent(dst, src, "", indent) and json.Compact, preserving key order and number text.
std::string go_json_indent(std::string_view json, std::string_view indent = "    ");
std::string go_json_compact(std::string_view json);

// Prints rendered list output; template errors are returned.
Result<int> print_list(Cli& cli, const std::string& format, const Json& header,
                       const std::vector<ListRow>& rows);

// Copies a response body to `output` (written atomically, mode 0600) or to stdout when empty.
Status copy_body_to_output(Cli& cli, http::ResponseStream& body, const std::string& output,
                           const std::string& what);

// docker's prompt.Confirm: prints "<message> [y/N] " and reads a line from stdin.
bool confirm(Cli& cli, const std::string& message);

// The Json value as `{{json .}}` would print it (Go's encoding, HTML escaping off).
std::string json_line(const Json& value);

}  // namespace berth::cli
