#include "template/template.h"

#include "template/ast.h"
#include "template/evaluator.h"
#include "template/function.h"
#include "template/parser.h"

namespace berth::tmpl {
namespace {

// docker's templates are anonymous: messages read "template: :1: ...".
constexpr std::string_view kName = "";

}  // namespace

Template::Template(std::string text, std::shared_ptr<const ListNode> root)
    : text_(std::move(text)), root_(std::move(root)) {}

Result<Template> Template::parse(std::string_view text) {
  // The header functions have the same names, so one parse serves both executions.
  std::unique_ptr<ListNode> root = TRY(parse_template(text, kName, docker_functions()));
  return Template(std::string(text), std::move(root));
}

Result<std::string> Template::execute(const Json& data) const {
  return execute_tree(*root_, text_, kName, docker_functions(), data);
}

Result<std::string> Template::execute_header(const Json& header) const {
  return execute_tree(*root_, text_, kName, docker_header_functions(), header);
}

}  // namespace berth::tmpl
