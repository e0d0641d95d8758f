#include "template/ast.h"

namespace berth::tmpl {
namespace {

std::string join_fields(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) out += "." + parts[i];
  return out;
}

}  // namespace

std::string ListNode::str() const {
  std::string out;
  for (const NodePtr& node : nodes) out += node->str();
  return out;
}

std::string VariableNode::str() const {
  std::string out = ident.empty() ? "" : ident[0];
  return out + join_fields(ident, 1);
}

std::string CommandNode::str() const {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.push_back(' ');
    if (args[i]->type == NodeType::kPipe) {
      out += "(" + args[i]->str() + ")";
    } else {
      out += args[i]->str();
    }
  }
  return out;
}

std::string PipeNode::str() const {
  std::string out;
  if (!decl.empty()) {
    for (size_t i = 0; i < decl.size(); ++i) {
      if (i > 0) out += ", ";
      out += decl[i]->str();
    }
    out += is_assign ? " = " : " := ";
  }
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) out += " | ";
    out += cmds[i]->str();
  }
  return out;
}

std::string FieldNode::str() const {
  return join_fields(ident, 0);
}

std::string ChainNode::str() const {
  std::string out = node->type == NodeType::kPipe ? "(" + node->str() + ")" : node->str();
  return out + join_fields(field, 0);
}

std::string BranchNode::str() const {
  const char* name = type == NodeType::kIf ? "if" : type == NodeType::kRange ? "range" : "with";
  std::string out = std::string("{{") + name + " " + pipe->str() + "}}" + list->str();
  if (else_list) out += "{{else}}" + else_list->str();
  return out + "{{end}}";
}

std::string KeywordNode::str() const {
  switch (type) {
    case NodeType::kBreak: return "{{break}}";
    case NodeType::kContinue: return "{{continue}}";
    case NodeType::kElse: return "{{else}}";
    default: return "{{end}}";
  }
}

}  // namespace berth::tmpl
