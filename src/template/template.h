// Go text/template, as the docker CLI's `--format` flag uses it, over JSON data.
//
//   auto tmpl = TRY(tmpl::Template::parse("{{.Names}}\t{{.State.Pid}}"));
//   std::string line = TRY(tmpl.execute(container_json));
//
// The template language is Go's: actions, trim markers, comments, pipelines, variables,
// if/else if/with/range/break/continue, literals, Go's builtin functions and docker's
// (json, split, join, title, lower, upper, pad, truncate). Values are JSON seen as Go values
// (see value.h): a field missing from an object prints "<no value>" as a missing map key does,
// null prints "<nil>". Output matches Go's byte for byte, fmt's formatting included.
// docker_format.h has the helpers for docker's "table" and "json" formats; README.md lists where
// and why the behaviour deliberately differs from Go's and docker's.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "template/docker_format.h"

namespace berth::tmpl {

struct ListNode;

class Template {
 public:
  // Parses template text as docker's templates.Parse does (the empty name, docker's functions).
  // Errors read like Go's: "template: :1: unexpected "}" in operand".
  static Result<Template> parse(std::string_view text);

  // Executes over `data` with docker's functions. Errors read like Go's:
  // "template: :1:8: executing "" at <index .Args 5>: error calling index: index out of range: 5".
  Result<std::string> execute(const Json& data) const;

  // Executes over a table's header data (column name by field, e.g. {"ID": "CONTAINER ID"}) with
  // docker's HeaderFunctions, which pass column names through json, upper, truncate... unchanged.
  Result<std::string> execute_header(const Json& header) const;

  const std::string& text() const { return text_; }

 private:
  Template(std::string text, std::shared_ptr<const ListNode> root);

  std::string text_;
  std::shared_ptr<const ListNode> root_;  // immutable once parsed; shared by copies
};

}  // namespace berth::tmpl
